"""Telegram adapter: Lotse in private chats, groups and forum topics via python-telegram-bot.

The platform is `adapters.telegram.platform.TelegramPlatform`; this package imports nothing itself, so
reading its capabilities does not load python-telegram-bot.
"""
