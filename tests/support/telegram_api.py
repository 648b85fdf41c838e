"""A fake Telegram Bot API server on 127.0.0.1 for tests and the benchmark.

It serves what python-telegram-bot calls, in Telegram's own response shapes: updates that tests
inject (with realistic private, group, forum and callback-query payloads), long polling with
offset confirmation, recorded sends and edits, Telegram's HTML parsing errors, flood limits,
and failures on demand (429 with retry_after, 5xx, 401 for a bad token). Like Telegram, a 429
bans further sends until its `retry_after` is over (a send inside it gets another 429 and is
recorded in `early`); `storm` and `outage` make that, and 502s or hanging requests, last a while.
"""

from __future__ import annotations

import asyncio
import html
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from pydantic import SecretStr

from adapters.telegram.platform import TelegramPlatform
from bot.config import TelegramSettings, WebhookSettings
from bot.messages import Choice, Command, IncomingMessage, Reply

TOKEN = "123456:AAH-fake-token-for-tests_0123456789"
JsonObject = dict[str, Any]
"""A Bot API object as JSON decodes it: values of every type, so typed `Any`."""
BOT_USER: JsonObject = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Lotse",
    "username": "LotseBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
ANNA: JsonObject = {"id": 1001, "is_bot": False, "first_name": "Anna", "last_name": "Becker", "language_code": "de"}
JOHN: JsonObject = {"id": 1002, "is_bot": False, "first_name": "John", "last_name": "Smith", "language_code": "en"}
HELPER_BOT: JsonObject = {"id": 777, "is_bot": True, "first_name": "Helper", "username": "HelperBot"}
GROUP: JsonObject = {"id": -1001000000001, "type": "supergroup", "title": "Digitallotsen Nord"}
FORUM: JsonObject = {"id": -1001000000002, "type": "supergroup", "title": "Lotsen-Forum", "is_forum": True}

_JSON_PARAMS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "allowed_updates", "reply_markup", "commands",
    "scope", "message_thread_id", "reply_parameters", "link_preview_options", "drop_pending_updates",
    "show_alert", "cache_time", "max_connections",
}
_SENDING = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_ANY_ENTITY = re.compile(r"&[a-zA-Z0-9#]+;")
_SPECIAL = re.compile(r"[<&]")
_TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                  "blockquote", "tg-spoiler", "span", "tg-emoji"}


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_telegram_html(text: str) -> str:
    """The visible text of Telegram-flavoured HTML, or ApiError as Telegram words it."""
    visible: list[str] = []
    open_tags: list[str] = []
    position = 0
    while (special := _SPECIAL.search(text, position)) is not None:
        visible.append(text[position : special.start()])
        position = special.start()
        offset = len(text[:position].encode())
        if special.group() == "<":
            tag = _TAG.match(text, position)
            if tag is None:
                raise _entities_error(f"Unsupported start tag at byte offset {offset}")
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name not in _TELEGRAM_TAGS:
                raise _entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')
            if closing:
                if not open_tags or open_tags[-1] != name:
                    raise _entities_error(f'Unmatched end tag at byte offset {offset}, expected "</'
                                          f'{open_tags[-1] if open_tags else ""}>", found "</{name}>"')
                open_tags.pop()
            else:
                open_tags.append(name)
            position = tag.end()
        elif entity := _ENTITY.match(text, position):
            visible.append(html.unescape(entity.group()))
            position = entity.end()
        elif _ANY_ENTITY.match(text, position):
            raise _entities_error(f"Unsupported HTML entity at byte offset {offset}")
        else:
            visible.append("&")
            position += 1
    visible.append(text[position:])
    if open_tags:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(visible)


def _entities_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass(frozen=True)
class EarlySend:
    """A send that arrived while a 429 told the bot to wait: `late_by` seconds after the 429 went out."""

    method: str
    chat_id: Any
    late_by: float


@dataclass
class ServerLimits:
    """Telegram's flood limits as this server enforces them (sliding windows of arrivals)."""

    overall: tuple[int, float] = (30, 1.0)
    per_chat: tuple[int, float] = (3, 3.0)
    per_group: tuple[int, float] = (20, 60.0)


@dataclass
class _Windows:
    overall: deque[float] = field(default_factory=deque)
    chats: dict[Any, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    groups: dict[Any, deque[float]] = field(default_factory=lambda: defaultdict(deque))


class FakeBotApi:
    """Start with `await api.start()` (or `async with running_api()`); `api.url` is the `api_url`."""

    def __init__(self, token: str = TOKEN, max_poll_seconds: float = 1.0) -> None:
        self.token = token
        self.max_poll_seconds = max_poll_seconds
        self.calls: list[ApiCall] = []
        self.chats_answered: set[int] = set()
        """Chats that got at least one message."""
        self.limits: ServerLimits | None = None
        self.rate_limited = 0
        self.webhook: dict[str, Any] | None = None
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.documents: list[tuple[int, str, bytes]] = []
        """Files sent with sendDocument: chat id, file name, content."""
        self.photos: list[tuple[int, bytes]] = []
        """Pictures sent with sendPhoto: chat id, content."""
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 500_000
        self._next_message_id = 1
        self._arrived = asyncio.Condition()
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._windows = _Windows()
        self._bans: dict[Any, tuple[float, float]] = {}
        """Per chat (None: every chat) when the last 429 went out and until when it holds."""
        self.early: list[EarlySend] = []
        self._storm: tuple[float, int] | None = None
        self._outage: tuple[float, int, float] | None = None
        self._chats: dict[int, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        async with self._arrived:
            self._closing = True
            self._arrived.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- what tests tell the server

    def fail(
        self, method: str, status: int, times: int = 1, retry_after: int | None = None, description: str = ""
    ) -> None:
        """The next `times` calls of `method` (or "*") fail like Telegram would."""
        description = description or {429: f"Too Many Requests: retry after {retry_after}", 401: "Unauthorized",
                       502: "Bad Gateway", 500: "Internal Server Error"}.get(status, f"Error {status}")
        for _ in range(times):
            self._failures[method].append(Failure(status, description, retry_after))

    def storm(self, seconds: float, retry_after: int = 1) -> None:
        """For `seconds`, every send is refused with 429 and `retry_after`, as in a flood of Telegram's."""
        self._storm = (time.monotonic() + seconds, retry_after)

    def outage(self, seconds: float, status: int = 502, hang: float = 0.0) -> None:
        """For `seconds`, every call fails with `status` (after `hang` seconds: a request that times out)."""
        self._outage = (time.monotonic() + seconds, status, hang)

    async def inject(self, update: dict[str, Any]) -> dict[str, Any]:
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        async with self._arrived:
            self._updates.append(update)
            self._arrived.notify_all()
        return update

    async def user_says(self, text: str, user: dict[str, Any] = ANNA, age: timedelta = timedelta()) -> dict[str, Any]:
        return await self.inject({"message": self.message(text, user, private_chat(user), age=age)})

    async def group_says(
        self,
        text: str,
        user: dict[str, Any] = ANNA,
        chat: dict[str, Any] = GROUP,
        reply_to: dict[str, Any] | None = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        return await self.inject({"message": self.message(text, user, chat, reply_to=reply_to, thread=thread)})

    async def user_taps(self, data: str, message: dict[str, Any], user: dict[str, Any] = ANNA) -> dict[str, Any]:
        """A tap on an inline button under `message` (a message the bot sent)."""
        query = {"id": f"q{self._next_update_id}", "from": user, "chat_instance": "42", "data": data,
                 "message": message}
        return await self.inject({"callback_query": query})

    async def bot_added(self, chat: dict[str, Any], by: dict[str, Any] = ANNA) -> dict[str, Any]:
        member = {"chat": chat, "from": by, "date": int(time.time()),
                  "old_chat_member": {"status": "left", "user": BOT_USER},
                  "new_chat_member": {"status": "member", "user": BOT_USER}}
        return await self.inject({"my_chat_member": member})

    def message(
        self,
        text: str,
        user: dict[str, Any],
        chat: dict[str, Any],
        age: timedelta = timedelta(),
        reply_to: dict[str, Any] | None = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        self._chats[chat["id"]] = chat
        message: dict[str, Any] = {"message_id": self._message_id(), "from": user, "chat": chat,
                                   "date": int((datetime.now(UTC) - age).timestamp()), "text": text}
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            message["reply_to_message"] = reply_to or {
                "message_id": thread, "from": user, "chat": chat, "date": message["date"],
                "forum_topic_created": {"name": "Förderung", "icon_color": 7322096},
            }
        elif reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    # ----- what tests read back

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        return [c for c in self.calls if c.method == "sendMessage" and c.status == 200
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def called(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[ApiCall]:
        """The first `count` successful calls of `method`, waiting for them at most `within` seconds."""

        def probe() -> list[ApiCall] | None:
            done = [call for call in self.calls if call.method == method and call.status == 200]
            return done[:count] if len(done) >= count else None

        result: list[ApiCall] = await self.wait_until(probe, within, f"{count} successful {method} call(s)")
        return result

    async def wait_handled(self, update: dict[str, Any], within: float = 5.0) -> None:
        """Wait until the bot confirmed `update` (asked for updates past it) and finished it.

        The adapter confirms updates it still handles, so the confirmation alone is not enough:
        the adapters started on this server (`running_platform`) must have nothing left in hand.
        """

        def probe() -> bool | None:
            offsets = [c.params.get("offset") or 0 for c in self.calls if c.method == "getUpdates"]
            confirmed = any(offset > update["update_id"] for offset in offsets)
            idle = all(platform.in_hand == 0 for platform in _RUNNING.get(self.url, []))
            return True if confirmed and idle else None

        await self.wait_until(probe, within, f"confirmation of update {update['update_id']}")

    async def wait_until(self, probe: Callable[[], Any], within: float, what: str) -> Any:
        deadline = time.monotonic() + within
        while (result := probe()) is None:
            if time.monotonic() > deadline:
                methods = [f"{c.method}:{c.status}" for c in self.calls[-15:]]
                raise TimeoutError(f"no {what} within {within} s; last calls: {methods}")
            await asyncio.sleep(0.01)
        return result

    async def deliver(self, update: dict[str, Any], secret: str | None = None) -> int:
        """POST `update` to the registered webhook as Telegram does; returns the HTTP status."""
        assert self.webhook is not None, "setWebhook was not called"
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
        token = self.webhook.get("secret_token", "") if secret is None else secret
        async with ClientSession(timeout=ClientTimeout(total=10)) as session, session.post(
            self.webhook["url"], json=update, headers={"X-Telegram-Bot-Api-Secret-Token": token}
        ) as response:
            return response.status

    # ----- the Bot API

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        call = ApiCall(method, params)
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            await self._maybe_down()
            if method in _SENDING:
                self._enforce_bans(method, params.get("chat_id"))
            failures = self._failures.get(method) or self._failures.get("*")
            if failures:
                failure = failures.popleft()
                extra = {"retry_after": failure.retry_after} if failure.retry_after else None
                if failure.status == 429 and failure.retry_after:
                    self._ban(None, failure.retry_after)
                raise ApiError(failure.status, failure.description, extra)
            if method in _SENDING:
                self._enforce_storm()
                self._enforce_limits(params.get("chat_id"))
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            call.result = await handler(params)
            return web.json_response({"ok": True, "result": call.result})
        except ApiError as error:
            call.status = error.status
            body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.status)

    async def _maybe_down(self) -> None:
        if self._outage is None:
            return
        until, status, hang = self._outage
        if time.monotonic() >= until:
            self._outage = None
            return
        if hang:
            await asyncio.sleep(min(hang, until - time.monotonic()))
        raise ApiError(status, {502: "Bad Gateway", 500: "Internal Server Error"}.get(status, f"Error {status}"))

    def _ban(self, chat_id: Any, retry_after: int) -> None:
        now = time.monotonic()
        self._bans[chat_id] = (now, max(now + retry_after, self._bans.get(chat_id, (0.0, 0.0))[1]))

    def _enforce_bans(self, method: str, chat_id: Any) -> None:
        """A send inside a retry_after Telegram gave: refused again, and noted as early."""
        now = time.monotonic()
        for scope in (None, chat_id):
            issued, until = self._bans.get(scope, (0.0, 0.0))
            if now < until:
                self.early.append(EarlySend(method, chat_id, now - issued))
                self.rate_limited += 1
                wait = max(1, math.ceil(until - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def _enforce_storm(self) -> None:
        if self._storm is None:
            return
        until, retry_after = self._storm
        if time.monotonic() >= until:
            self._storm = None
            return
        self.rate_limited += 1
        self._ban(None, retry_after)
        raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def _enforce_limits(self, chat_id: Any) -> None:
        if self.limits is None:
            return
        now = time.monotonic()
        windows = [(self._windows.overall, self.limits.overall),
                   (self._windows.chats[chat_id], self.limits.per_chat)]
        if isinstance(chat_id, int) and chat_id < 0:
            windows.append((self._windows.groups[chat_id], self.limits.per_group))
        for arrivals, (limit, period) in windows:
            while arrivals and arrivals[0] <= now - period:
                arrivals.popleft()
            if len(arrivals) >= limit:
                self.rate_limited += 1
                wait = max(1, math.ceil(arrivals[0] + period - now))
                self._ban(chat_id, wait)
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        for arrivals, _ in windows:
            arrivals.append(now)

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.max_poll_seconds)
        async with self._arrived:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            try:
                await asyncio.wait_for(self._arrived.wait_for(lambda: bool(self._updates) or self._closing), timeout)
            except TimeoutError:
                pass
            return self._updates[:limit]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params["chat_id"])
        message: JsonObject = {"message_id": self._message_id(), "from": BOT_USER, "chat": chat,
                               "date": int(time.time()), "text": _visible(params)}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        self.messages[(chat["id"], message["message_id"])] = message
        self.chats_answered.add(chat["id"])
        return message

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        """A picture upload, multipart like a document; the test reads back its bytes."""
        upload = params.get("photo")
        if not isinstance(upload, web.FileField):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        content = upload.file.read()
        chat = self._chat(params["chat_id"])
        message_id = self._message_id()
        message: dict[str, Any] = {"message_id": message_id, "from": BOT_USER, "chat": chat, "date": int(time.time()),
                   "photo": [{"file_id": f"photo{len(self.photos)}", "file_unique_id": f"p{len(self.photos)}",
                              "width": 800, "height": 400, "file_size": len(content)}]}
        self.photos.append((chat["id"], content))
        self.messages[(chat["id"], message_id)] = message
        return message

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        """A file upload arrives as multipart form data; the test reads back its name and bytes."""
        upload = params.get("document")
        if not isinstance(upload, web.FileField):
            raise ApiError(400, "Bad Request: there is no document in the request")
        content = upload.file.read()
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        chat = self._chat(params["chat_id"])
        document = {"file_id": f"doc{len(self.documents)}", "file_unique_id": f"u{len(self.documents)}",
                    "file_name": upload.filename, "mime_type": upload.content_type, "file_size": len(content)}
        message: JsonObject = {"message_id": self._message_id(), "from": BOT_USER, "chat": chat,
                               "date": int(time.time()), "document": document}
        self.documents.append((chat["id"], upload.filename, content))
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get((params["chat_id"], params["message_id"]))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        text, markup = _visible(params), params.get("reply_markup")
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                "reply markup are exactly the same as a current content and reply markup")
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    async def _api_leaveChat(self, params: dict[str, Any]) -> bool:
        return True

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "Member"}

    def _message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def _visible(params: dict[str, Any]) -> str:
    text = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        text = parse_telegram_html(text)
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    raw = dict(await request.post()) if request.can_read_body else dict(request.query)
    params: dict[str, Any] = {}
    for key, value in raw.items():
        params[key] = value
        if key in _JSON_PARAMS and isinstance(value, str):
            try:
                params[key] = json.loads(value)
            except ValueError:
                pass
    return params


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram would attach: a command at the start, @mentions; offsets in UTF-16."""
    found = []
    command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        found.append({"type": "mention", "offset": utf16_len(text[: mention.start()]),
                      "length": utf16_len(mention.group())})
    return found


# ----- a stand-in for the core, and an in-memory PlatformState


class MemoryState:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def put(self, key: str, value: str) -> None:
        self.values[key] = value


ANSWERS = {
    "foerder-land": "Das Land fördert Digitalisierungsprojekte über **Digital.Zukunft**.",
    "foerder-eu": "Für EU-Mittel siehe [EFRE](https://efre.example.org/?a=1&b=2).",
}
FEEDBACK = (Choice("👍", "fb:up:{}"), Choice("👎", "fb:down:{}"))


def _feedback(entry: str) -> tuple[Choice, ...]:
    return tuple(Choice(c.label, c.action.format(entry)) for c in FEEDBACK)


class ScriptedConversation:
    """Answers like the core does, from a tiny script; records what it was asked and voted."""

    def __init__(self) -> None:
        self.handled: list[IncomingMessage] = []
        self.queued: list[str] = []
        self.votes: dict[tuple[str, str], str] = {}
        self.last_question: dict[str, str] = {}

    def commands(self) -> Sequence[Command]:
        return [Command("start", {"de": "Lotse starten", "en": "Start Lotse"}),
                Command("help", {"de": "Was Lotse kann", "en": "What Lotse can do"}),
                Command("lang", {"de": "Sprache wählen", "en": "Choose language"})]

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        self.handled.append(message)
        german = (message.sender.language_hint or "de").startswith("de")
        if message.action is not None:
            return [self._tap(message, message.action, german)]
        text = message.text
        if text == "boom":
            raise RuntimeError("the knowledge base exploded")
        if text.startswith("slow:"):
            await asyncio.sleep(float(text[5:]))
            return [Reply(f"Nach {text[5:]} s bedacht.")]
        if text.startswith("/start"):
            return [Reply("Willkommen bei **Lotse**!" if german else "Welcome to **Lotse**!")]
        if text.startswith("/help"):
            return [Reply("Ich beantworte *Fragen* aus der Wissensbasis." if german
                          else "I answer *questions* from the knowledge base.")]
        if "förder" in text.lower():
            self.last_question[message.sender.id] = text
            return [Reply("Meintest du:", choices=(Choice("Förderung des Landes", "pick:foerder-land"),
                                                   Choice("EU-Förderung", "pick:foerder-eu"),
                                                   Choice("Nichts davon", "none")))]
        if text.startswith("repeat:"):
            _, times, piece = text.split(":", 2)
            return [Reply(piece * int(times), feedback=_feedback("long"))]
        if text.startswith("long:"):
            return [Reply(text[5:], feedback=_feedback("long"))]
        return [Reply(f"Dazu weiß ich noch nichts: {text}", feedback=_feedback("unknown"))]

    def _tap(self, message: IncomingMessage, action: str, german: bool) -> Reply:
        kind, _, entry = action.partition(":")
        if kind == "pick" and entry in ANSWERS:
            return Reply(ANSWERS[entry], feedback=_feedback(entry), replaces_prompt=True)
        if kind == "none":
            self.queued.append(self.last_question.get(message.sender.id, ""))
            return Reply("Ich habe deine Frage an das Moderationsteam weitergegeben.", replaces_prompt=True)
        if kind == "fb" and ":" in entry:
            vote, _, answer = entry.partition(":")
            self.votes[(message.sender.id, answer)] = vote
            return Reply("Danke für deine Rückmeldung!" if german else "Thanks for your feedback!")
        return Reply("Diese Auswahl gilt nicht mehr. Frag einfach noch einmal."
                     if german else "That choice has expired. Just ask again.")


def settings_for(api: FakeBotApi, **changes: Any) -> TelegramSettings:
    values: dict[str, Any] = {"enabled": True, "token": SecretStr(api.token), "api_url": api.url, **changes}
    if isinstance(values.get("webhook"), dict):
        values["webhook"] = WebhookSettings(**values["webhook"])
    return TelegramSettings(**values)


@asynccontextmanager
async def running_platform(
    settings: TelegramSettings, state: Any, conversation: Any, **options: Any
) -> AsyncIterator[TelegramPlatform]:
    """A started TelegramPlatform, stopped and shut down on exit whatever happened."""
    platform = TelegramPlatform(settings, state, **options)
    _RUNNING[settings.api_url].append(platform)
    await platform.initialize()
    try:
        await platform.start(conversation)
        yield platform
    finally:
        _RUNNING[settings.api_url].remove(platform)
        await asyncio.wait_for(platform.stop(), 10)
        await asyncio.wait_for(platform.shutdown(), 10)


_RUNNING: dict[str, list[TelegramPlatform]] = defaultdict(list)
"""The adapters running against each fake server, for `wait_handled`."""


@asynccontextmanager
async def running_api(**options: Any) -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi(**options)
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
