"""Figures for moderators' `/stats`: each feature contributes a section of counts, never names."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from knowledge.entry import Language


class StatsSource(Protocol):
    """A feature that reports figures to moderators, as a short Markdown section."""

    async def stats_section(self, language: Language, now: datetime) -> str: ...
