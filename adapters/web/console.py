"""What every page of the console shares: the services, the signed-in moderator, forms and replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from multidict import MultiDictProxy

from adapters.web.errors import RecentErrors
from adapters.web.metrics import PrometheusMetrics
from adapters.web.render import Templates
from bot.composition import Lotse
from bot.features.web_signin import WebSession
from knowledge.entry import Language, as_language

COOKIE = "lotse_session"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Console:
    """The core's services as the pages use them, and how the console runs."""

    lotse: Lotse
    metrics: PrometheusMetrics
    errors: RecentErrors | None
    templates: Templates
    adapters: tuple[str, ...]
    """The chat adapters enabled in this process, which readiness waits for."""
    secure_cookie: bool

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.lotse.settings.digest.schedule.timezone)


CONSOLE = web.AppKey("console", Console)
SESSION = web.RequestKey("session", WebSession)


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE]


def session_of(request: web.Request) -> WebSession | None:
    session: WebSession | None = request.get(SESSION)
    return session


def signed_in(request: web.Request) -> WebSession:
    session = session_of(request)
    if session is None:
        raise web.HTTPSeeOther("/")
    return session


def language_of(request: web.Request) -> Language:
    """The session's language, else the browser's first choice between German and English."""
    session = session_of(request)
    if session is not None:
        return session.language
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("de", "en"):
            return as_language(code)
    return as_language(console_of(request).lotse.settings.default_language)


def page(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    """A full page; `section` marks the current item in the navigation."""
    context.setdefault("section", "")
    context.setdefault("notice", _notice(request))
    context.setdefault("problem", None)
    session = session_of(request)
    return console_of(request).templates.page(template, language_of(request), {"session": session, **context},
                                              status)


def moderators(handler: Handler) -> Handler:
    """Pages for signed-in moderators; others are sent to the sign-in explanation."""

    async def checked(request: web.Request) -> web.StreamResponse:
        signed_in(request)
        return await handler(request)

    return checked


def admins(handler: Handler) -> Handler:
    """Pages for admins (the operators named in the configuration)."""

    async def checked(request: web.Request) -> web.StreamResponse:
        if not signed_in(request).is_admin:
            return page(request, "message.html", status=403, title_key="admins-only-title",
                        message_key="admins-only")
        return await handler(request)

    return checked


class Form:
    """A posted form's text fields, trimmed; files are not accepted anywhere."""

    def __init__(self, posted: MultiDictProxy[Any]) -> None:
        self._posted = posted

    def get(self, name: str, default: str = "") -> str:
        value = self._posted.get(name, default)
        return value.strip() if isinstance(value, str) else default

    def values(self, name: str) -> list[str]:
        """Every value of a field that may repeat (checkboxes), trimmed."""
        return [value.strip() for value in self._posted.getall(name, []) if isinstance(value, str)]

    def raw(self, name: str) -> str:
        """The field as typed, with its line breaks and spaces (answers, lists)."""
        value = self._posted.get(name, "")
        return value.replace("\r\n", "\n") if isinstance(value, str) else ""


async def form_of(request: web.Request) -> Form:
    return Form(await request.post())


def done(location: str, notice: str, **values: str | int) -> web.HTTPSeeOther:
    """Back to a page after a change, with the notice of what happened (post, redirect, get)."""
    separator = "&" if "?" in location else "?"
    return web.HTTPSeeOther(f"{location}{separator}{urlencode({'done': notice, **values})}")


NOTICE_VALUES = ("id", "version", "group", "count", "title")


def _notice(request: web.Request) -> str | None:
    key = request.query.get("done", "")
    if not key.replace("-", "").isalnum():
        return None
    from adapters.web.texts import PHRASES

    values = {name: request.query.get(name, "")[:200] for name in NOTICE_VALUES}
    try:
        return PHRASES.say(f"done-{key}", language_of(request), **values)
    except KeyError:
        return None
