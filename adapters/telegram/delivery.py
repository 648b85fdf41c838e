"""Replies as Telegram messages: HTML split to fit, buttons under the last piece, plain text
when Telegram cannot parse the HTML, and a tapped prompt edited into the answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from adapters.telegram.rate_limit import BULK
from adapters.telegram.rendering import split, to_html, to_plain
from bot.messages import Reply

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True)
class Destination:
    """Where replies go: the chat, its forum topic, and in groups the question they answer."""

    chat_id: int
    thread: int | None = None
    reply_to: int | None = None
    bulk: bool = False


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Choices one per row, then the feedback buttons side by side."""
    rows = [[InlineKeyboardButton(choice.label, callback_data=choice.action)] for choice in reply.choices]
    if reply.feedback:
        rows.append([InlineKeyboardButton(c.label, callback_data=c.action) for c in reply.feedback])
    return InlineKeyboardMarkup(rows) if rows else None


def _unparseable(error: BadRequest) -> bool:
    return "can't parse entities" in error.message.lower()


class Delivery:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, to: Destination, reply: Reply) -> None:
        pieces = [piece for piece in split(reply.text) if to_plain(piece).strip()]
        if not pieces:
            log.warning("Not sending an empty reply to chat %s", to.chat_id)
            return
        for number, piece in enumerate(pieces, start=1):
            markup = keyboard(reply) if number == len(pieces) else None
            await self._send_piece(to, piece, markup, reply_to=to.reply_to if number == 1 else None)
        if reply.attachment is not None:
            # rate_limit_args belongs to the ExtBot the application runs, not to Bot's signature.
            limits: dict[str, Any] = {"rate_limit_args": BULK if to.bulk else None}
            if reply.attachment.media_type.startswith("image/"):
                await self._bot.send_photo(
                    chat_id=to.chat_id, photo=reply.attachment.data, message_thread_id=to.thread, **limits
                )
                return
            await self._bot.send_document(
                chat_id=to.chat_id,
                document=reply.attachment.data,
                filename=reply.attachment.filename,
                message_thread_id=to.thread,
                **limits,
            )

    async def _send_piece(
        self, to: Destination, piece: str, markup: InlineKeyboardMarkup | None, reply_to: int | None
    ) -> None:
        common: dict[str, Any] = {
            "chat_id": to.chat_id,
            "message_thread_id": to.thread,
            "reply_markup": markup,
            "link_preview_options": _NO_PREVIEW,
            "reply_parameters": None
            if reply_to is None
            else ReplyParameters(reply_to, allow_sending_without_reply=True),
            "rate_limit_args": BULK if to.bulk else None,
        }
        try:
            await self._bot.send_message(text=to_html(piece), parse_mode=ParseMode.HTML, **common)
        except BadRequest as error:
            if not _unparseable(error):
                raise
            log.warning("Telegram could not parse our HTML (%s); sending plain text", error.message)
            await self._bot.send_message(text=to_plain(piece), **common)

    async def replace(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Edit the prompt into `reply`; False when it cannot be (too long, too old, gone)."""
        pieces = split(reply.text)
        if len(pieces) != 1 or not to_plain(pieces[0]).strip() or reply.attachment is not None:
            return False
        common: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "reply_markup": keyboard(reply)}
        try:
            try:
                await self._bot.edit_message_text(
                    to_html(pieces[0]), parse_mode=ParseMode.HTML, link_preview_options=_NO_PREVIEW, **common
                )
            except BadRequest as error:
                if not _unparseable(error):
                    raise
                await self._bot.edit_message_text(to_plain(pieces[0]), **common)
        except BadRequest as error:
            if "message is not modified" in error.message.lower():
                return True
            log.info("Could not edit message %s in chat %s (%s); sending anew", message_id, chat_id, error)
            return False
        return True
