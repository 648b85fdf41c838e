"""Lotse in Telegram: the `ChatPlatform` built on python-telegram-bot's `Application`.

Receives by long polling or webhook, hands each addressed message to the core, and sends the
replies back. Group rules live in `updates`, rendering in `delivery`, limits in `rate_limit`,
per-chat lanes in `lanes`. An update is marked done before its reply goes out (Telegram has no
idempotency key, so a crash may lose that one reply, never double it). An answer that cannot be
sent within the patience window goes to the outbox (`hand_off`); an update that cannot be
handled is logged with the reason and skipped, and never holds up the next one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from adapters.retry import SEND_PATIENCE_S, Backoff, RequestFailed, TokenRejected, classify_storage, retry
from adapters.telegram.capabilities import CAPABILITIES
from adapters.telegram.delivery import Delivery, Destination
from adapters.telegram.lanes import Lanes
from adapters.telegram.ledger import UpdateLedger
from adapters.telegram.polling import Polling
from adapters.telegram.rate_limit import DEFAULT_LIMITS, Limits, TelegramRateLimiter
from adapters.telegram.retry import classify, token_rejected
from adapters.telegram.transport import AiohttpTransport
from adapters.telegram.updates import GROUPS, BotIdentity, thread_of, to_incoming
from adapters.telegram.webhook import Webhook
from bot.config import TelegramSettings
from bot.health import HealthReporter, State
from bot.messages import (
    ChatId,
    Conversation,
    PersonId,
    PlatformState,
    PlatformStopped,
    RecipientUnreachable,
    Reply,
    local_part,
)

log = logging.getLogger(__name__)

COMPONENT = "telegram:polling"
NOT_ENABLED = "Lotse ist in diesem Chat nicht freigeschaltet. / Lotse is not enabled in this chat."
ANSWER_KEY_PREFIX = "telegram-answer:"
DEFAULT_BACKOFF = Backoff(first=0.5, cap=30.0)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
HandOff = Callable[[str, ChatId, Reply], Awaitable[None]]
"""Queues a reply in the outbox under a key (`bot.outbox.enqueue`), for when sending now failed."""


def answer_key(update_id: int, index: int) -> str:
    """The outbox key of the `index`th answer to one update: one row per answer, however often handed over."""
    return f"{ANSWER_KEY_PREFIX}{update_id}:{index}"


def unreachable(error: TelegramError) -> bool:
    """Blocked by the member, a group that moved, a chat that is gone: no retry can reach them."""
    if isinstance(error, Forbidden | ChatMigrated):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


class TelegramPlatform:
    name = "telegram"
    capabilities = CAPABILITIES

    def __init__(
        self,
        settings: TelegramSettings,
        state: PlatformState,
        *,
        limits: Limits = DEFAULT_LIMITS,
        backoff: Backoff = DEFAULT_BACKOFF,
        poll_timeout: int = 30,
        health: HealthReporter | None = None,
        hand_off: HandOff | None = None,
        send_patience_s: float = SEND_PATIENCE_S,
        read_timeout: float = 5.0,
    ) -> None:
        self._settings = settings
        self._state = state
        self._limits = limits
        self._backoff = backoff
        self._poll_timeout = poll_timeout
        self._health = health
        self._hand_off = hand_off
        self._send_patience_s = send_patience_s
        self._read_timeout = read_timeout
        self._ledger = UpdateLedger(state)
        self._lanes = Lanes(self._process)
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._requests: tuple[AiohttpTransport, ...] = ()
        self._delivery: Delivery | None = None
        self._conversation: Conversation | None = None
        self._me: BotIdentity | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopped = asyncio.Event()
        self._failure: PlatformStopped | None = None

    async def initialize(self) -> None:
        """Build the Application; no network yet, so a Telegram outage cannot block the others."""
        token = self._settings.token.get_secret_value() if self._settings.token else ""
        if not token:
            self._give_up(PlatformStopped("telegram.token is not set (LOTSE_TELEGRAM__TOKEN)."))
            return
        root = self._settings.api_url.rstrip("/")
        # Our own transports, so shutdown can close them even when getMe never succeeded.
        self._requests = (
            AiohttpTransport(connection_pool_size=256, read_timeout=self._read_timeout),
            AiohttpTransport(connection_pool_size=1, read_timeout=self._read_timeout),
        )
        self._app = (
            ApplicationBuilder()
            .token(token)
            .request(self._requests[0])
            .get_updates_request(self._requests[1])
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .rate_limiter(TelegramRateLimiter(self._limits, self._backoff, self._send_patience_s))
            .updater(None)
            .build()
        )
        self._app.add_handler(TypeHandler(Update, self._on_update))
        self._delivery = Delivery(self._app.bot)
        await self._ledger.load()

    async def start(self, conversation: Conversation) -> None:
        self._conversation = conversation
        if self._failure is None:
            self._task = asyncio.create_task(self._run(), name="telegram")

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None:
        """Deliver what Lotse says on its own; shares the overall limit with every other such message.

        Telegram offers no idempotency key, so `key` cannot prevent a repeat after a crash mid-send,
        and bots cannot create groups, so `invite` is ignored: the reply goes to `to` alone. A chat
        that blocked Lotse, moved or is gone raises `RecipientUnreachable`.
        """
        if not self._ready.is_set():
            waits = {asyncio.ensure_future(self._ready.wait()), asyncio.ensure_future(self._stopped.wait())}
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()
        if self._failure is not None:
            raise self._failure
        if self._delivery is None or not self._ready.is_set():
            raise PlatformStopped("The Telegram adapter is not running.")
        try:
            await self._delivery.send(Destination(int(local_part(to)), bulk=True), reply)
        except TelegramError as error:
            if unreachable(error):
                raise RecipientUnreachable(f"Telegram cannot reach {to}: {error.message}") from error
            raise
        except TokenRejected as error:
            raise PlatformStopped(str(token_rejected(str(error)))) from error

    @property
    def in_hand(self) -> int:
        """Updates taken from Telegram and not yet finished (handled and their replies sent)."""
        return self._lanes.in_hand

    async def wait_stopped(self) -> None:
        await self._stopped.wait()
        if self._failure is not None:
            raise self._failure

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._stopped.set()

    async def shutdown(self) -> None:
        if self._app is not None and self._ready.is_set():
            await self._app.shutdown()
        for request in self._requests:
            await request.shutdown()

    def _give_up(self, failure: PlatformStopped) -> None:
        log.error("%s", failure)
        self._failure = failure
        self._stopped.set()

    def _report(self, state: State, detail: str = "") -> None:
        if self._health is not None:
            self._health.report(COMPONENT, state, detail)

    async def _run(self) -> None:
        assert self._app is not None
        try:
            await retry(self._app.initialize, classify, what="Telegram getMe", max_attempts=None,
                        backoff=self._backoff.fresh())
            bot = self._app.bot
            self._me = BotIdentity(bot.id, bot.username)
            await self._register_commands()
            self._ready.set()
            log.info("Telegram adapter running as @%s (%s)", self._me.username, self._settings.mode)
            if self._settings.mode == "webhook":
                await Webhook(bot, self._settings.webhook, self._process, self._backoff).run()
            else:
                await Polling(bot, self._requests[1], self._ledger, self._lanes, self._backoff,
                              self._poll_timeout, self._report).run()
        except TokenRejected as error:
            self._give_up(token_rejected(str(error)))
        except PlatformStopped as failure:
            self._give_up(failure)
        except Exception as error:
            log.exception("The Telegram adapter failed")
            self._give_up(PlatformStopped(f"The Telegram adapter failed: {error!r}"))
        finally:
            self._stopped.set()

    async def _register_commands(self) -> None:
        assert self._app is not None and self._conversation is not None
        commands = [
            c
            for c in self._conversation.commands()
            if not c.moderators_only and _COMMAND_NAME.fullmatch(c.name.lstrip("/"))
        ]
        for language in ("de", "en", None):
            menu = [
                BotCommand(c.name.lstrip("/"), c.description.get(language or "en") or c.name.lstrip("/"))
                for c in commands
            ]
            try:
                await self._app.bot.set_my_commands(menu, language_code=language)
            except TelegramError as error:
                log.warning("Could not register the %s command menu: %s", language or "default", error)

    async def _process(self, update: Update) -> None:
        assert self._app is not None
        await self._app.process_update(update)

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update at most once; whatever goes wrong stays with this update."""
        if self._ledger.is_done(update.update_id):
            log.info("Update %s was handled before the restart; not answering it again", update.update_id)
            return
        marked = False

        async def mark_done() -> None:
            nonlocal marked
            if not marked:
                await self._persevering(
                    f"recording update {update.update_id} as handled", lambda: self._ledger.mark_done(update.update_id)
                )
                marked = True

        try:
            await self._handle(update, mark_done)
        except TokenRejected as error:
            log.error("Telegram rejected the token while handling update %s: %s", update.update_id, error)
        except Exception as error:
            log.error("Telegram: skipped update %s: %r", update.update_id, error)
        await mark_done()

    async def _persevering(self, what: str, operation: Callable[[], Awaitable[None]]) -> None:
        """Run a write of Lotse's own state until no passing database error stops it."""
        await retry(
            operation, classify_storage, what=f"Telegram: {what}", max_attempts=None, backoff=self._backoff.fresh(),
            on_failure=lambda reason: self._report(State.DEGRADED, f"{what} failed, retrying: {reason}"),
        )

    async def _handle(self, update: Update, mark_done: Callable[[], Awaitable[None]]) -> None:
        assert self._conversation is not None and self._me is not None
        chat = update.effective_chat
        if update.my_chat_member is not None:
            joined = update.my_chat_member.new_chat_member.status in (
                ChatMemberStatus.MEMBER,
                ChatMemberStatus.ADMINISTRATOR,
            )
            if joined and chat is not None and not self._allowed(chat.id):
                await mark_done()
                await self._refuse(update)
            return
        if self._too_old(update):
            log.info("Acknowledging update %s without answering: older than %s h",
                     update.update_id, self._settings.max_update_age_hours)
            return
        if chat is not None and not self._allowed(chat.id):
            await mark_done()
            await self._refuse(update)
            return
        if update.callback_query is not None:
            await self._answer_query(update)
        incoming = to_incoming(update, self._me)
        if incoming is not None:
            replies = await self._conversation.handle(incoming)
            await mark_done()
            await self._reply(update, replies)

    async def _reply(self, update: Update, replies: Sequence[Reply]) -> None:
        """Send the replies in order; what an outage keeps from going out goes to the outbox, in order."""
        assert self._delivery is not None
        destination = self._destination(update)
        message = update.effective_message
        prompt = message.message_id if update.callback_query is not None and message is not None else None
        for index, reply in enumerate(replies):
            try:
                if reply.replaces_prompt and prompt is not None:
                    edited = await self._delivery.replace(destination.chat_id, prompt, reply)
                    prompt = None
                    if edited:
                        continue
                await self._delivery.send(destination, reply)
            except RequestFailed as error:
                if not error.exhausted or self._hand_off is None:
                    raise
                log.warning("Telegram: the answers to update %s go to the outbox: %s", update.update_id, error)
                await self._hand_over(update.update_id, destination.chat_id, replies, index)
                return
            except TelegramError as error:
                if unreachable(error):
                    log.info("Telegram: chat %s cannot be reached (%s)", destination.chat_id, error.message)
                    return
                raise

    async def _hand_over(self, update_id: int, chat_id: int, replies: Sequence[Reply], first: int) -> None:
        assert self._hand_off is not None
        hand_off = self._hand_off
        recipient = ChatId(f"telegram:{chat_id}")
        for index in range(first, len(replies)):
            key = answer_key(update_id, index)
            await self._persevering(f"handing answer {key} to the outbox",
                                    functools.partial(hand_off, key, recipient, replies[index]))

    def _destination(self, update: Update) -> Destination:
        chat, user = update.effective_chat, update.effective_user
        message = update.effective_message if isinstance(update.effective_message, Message) else None
        chat_id = chat.id if chat is not None else user.id if user is not None else 0
        in_group = chat is not None and chat.type in GROUPS
        reply_to = message.message_id if message and in_group and update.callback_query is None else None
        return Destination(chat_id, thread_of(message) if message else None, reply_to)

    async def _answer_query(self, update: Update) -> None:
        """Stop the button's spinner, whatever the data was; an old query may no longer be answerable."""
        assert update.callback_query is not None
        try:
            await update.callback_query.answer()
        except TelegramError as error:
            log.info("Could not answer callback query %s: %s", update.callback_query.id, error)

    def _allowed(self, chat_id: int) -> bool:
        return not self._settings.allowed_chats or chat_id in self._settings.allowed_chats

    def _too_old(self, update: Update) -> bool:
        message = update.message
        limit = timedelta(hours=self._settings.max_update_age_hours)
        return message is not None and message.date < datetime.now(UTC) - limit

    async def _refuse(self, update: Update) -> None:
        """Say once that Lotse is not enabled in this chat, and leave it if it is a group."""
        assert self._app is not None and self._delivery is not None
        chat = update.effective_chat
        assert chat is not None
        if update.callback_query is not None:
            await self._answer_query(update)
        key = f"telegram.refused.{chat.id}"
        try:
            if await self._state.get(key) is None:
                await self._state.put(key, datetime.now(UTC).isoformat())
                thread = self._destination(update).thread
                await self._delivery.send(Destination(chat.id, thread), Reply(NOT_ENABLED))
            if chat.type != ChatType.PRIVATE:
                await self._app.bot.leave_chat(chat.id)
                log.info("Left chat %s: it is not in telegram.allowed_chats", chat.id)
        except TelegramError as error:
            log.warning("Could not refuse chat %s: %s", chat.id, error)
