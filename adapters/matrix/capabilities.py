"""What Matrix can show, as the data the core reads (no matrix-nio import, so it is cheap)."""

from bot.messages import Capabilities

CAPABILITIES = Capabilities(
    max_message_length=30000, reactions=True, files=True, rooms=True, idempotent_sends=True,
    person_link="https://matrix.to/#/{local}"
)
"""Numbered choices answered by number or reaction, files, rooms for introductions, matrix.to links."""
