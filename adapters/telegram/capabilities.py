"""What Telegram can show, as the data the core reads (no python-telegram-bot import, so it is cheap)."""

from bot.messages import Capabilities

CAPABILITIES = Capabilities(
    max_message_length=4096, buttons=True, files=True, images=True, edits=True,
    person_link="tg://user?id={local}", person_label="tg://user?id={local}",
)
"""Inline keyboards, documents, photos and edited prompts; a person is reached and named by their numeric id."""
