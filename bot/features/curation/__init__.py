"""Curation: moderators keep the knowledge base right, from the chat (see `feature.py`)."""

from bot.features.curation.feature import Curation

__all__ = ["Curation"]
