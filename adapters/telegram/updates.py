"""Which Telegram updates are meant for Lotse, translated into the core's `IncomingMessage`.

In a private chat every text counts. In groups only commands for Lotse, mentions of Lotse and
replies to Lotse's own messages do; other chatter and other bots are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import CallbackQuery, Message, MessageEntity, Update, User
from telegram.constants import ChatType

from bot.messages import Chat, ChatId, IncomingMessage, PersonId, Sender

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str


def to_incoming(update: Update, me: BotIdentity) -> IncomingMessage | None:
    """The message for the core, or None when the update is not addressed to Lotse."""
    if update.callback_query is not None:
        return _tap(update.callback_query)
    message = update.message
    if message is None or message.text is None or message.from_user is None or message.from_user.is_bot:
        return None
    if message.chat.type == ChatType.PRIVATE:
        text: str | None = _strip_own_name(message, me)
    elif message.chat.type in GROUPS:
        text = _addressed_text(message, me)
    else:
        return None
    if text is None:
        return None
    return IncomingMessage(
        sender=_sender(message.from_user),
        chat=_chat(message),
        text=text or "/help",
        message_id=str(message.message_id),
        received_at=message.date,
    )


def thread_of(message: Message) -> int | None:
    """The forum topic a message belongs to; other threads are not addressable by sending."""
    return message.message_thread_id if message.is_topic_message else None


def _tap(query: CallbackQuery) -> IncomingMessage:
    message = query.message if isinstance(query.message, Message) else None
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    is_direct = query.message is None or query.message.chat.type == ChatType.PRIVATE
    thread = thread_of(message) if message is not None else None
    return IncomingMessage(
        sender=_sender(query.from_user),
        chat=Chat(ChatId(f"telegram:{chat_id}"), is_direct, None if thread is None else str(thread)),
        action=query.data or "",
        message_id=str(query.message.message_id) if query.message is not None else "",
    )


def _sender(user: User) -> Sender:
    return Sender(PersonId(f"telegram:{user.id}"), user.full_name, user.language_code)


def _chat(message: Message) -> Chat:
    thread = thread_of(message)
    return Chat(
        ChatId(f"telegram:{message.chat.id}"),
        message.chat.type == ChatType.PRIVATE,
        None if thread is None else str(thread),
    )


def _addressed_text(message: Message, me: BotIdentity) -> str | None:
    commands = message.parse_entities([MessageEntity.BOT_COMMAND])
    first_command = next((cmd for entity, cmd in commands.items() if entity.offset == 0), None)
    if first_command is not None:
        _, _, target = first_command.partition("@")
        return _strip_own_name(message, me) if not target or target.lower() == me.username.lower() else None
    if _mentions(message, me) or _replies_to(message, me):
        return _strip_own_name(message, me)
    return None


def _mentions(message: Message, me: BotIdentity) -> bool:
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and text.lower() == f"@{me.username.lower()}":
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == me.id:
            return True
    return False


def _replies_to(message: Message, me: BotIdentity) -> bool:
    original = message.reply_to_message
    if original is None or original.from_user is None or original.from_user.id != me.id:
        return False
    # In forums every message "replies" to the topic's first message; that is not a reply to Lotse.
    return not (message.is_topic_message and original.message_id == message.message_thread_id)


def _strip_own_name(message: Message, me: BotIdentity) -> str:
    """The text without `@LotseBot`: `/help@LotseBot` reads `/help`; a mention is not part of a question."""
    text = re.sub(rf"@{re.escape(me.username)}\b", "", message.text or "", flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
