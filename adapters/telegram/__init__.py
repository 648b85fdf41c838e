"""Telegram adapter: Lotse in private chats, groups and forum topics via python-telegram-bot."""

from adapters.telegram.platform import TelegramPlatform

__all__ = ["TelegramPlatform"]
