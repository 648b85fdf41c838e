"""Signing in with the link from `/web`, signing out, the console's language, and the CSRF guard.

Opening the link only shows a button: link previews in chat apps fetch the link, and must not use
it up. The session cookie is HttpOnly and SameSite=Strict (Secure behind https); every change is a
POST that carries the session's CSRF token.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.web.console import COOKIE, SESSION, Handler, console_of, form_of, page, session_of, signed_in
from bot.features.web_signin import SESSION_LONGEST, Refusal, SignedIn
from knowledge.entry import LANGUAGES, as_language

log = logging.getLogger(__name__)

OPEN_POSTS = ("/signin/",)
"""Changes made before there is a session, and so without its CSRF token."""
WITHOUT_SESSION = ("/healthz", "/readyz", "/metrics", "/static/")
"""Served to anyone and never looked up in the database, so they answer even when it is away."""
REFUSAL_STATUS = {Refusal.UNKNOWN: 404, Refusal.USED: 410, Refusal.EXPIRED: 410, Refusal.NOT_MODERATOR: 403}


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Find the signed-in moderator; refuse a change without the session's CSRF token."""
    if request.path.startswith(WITHOUT_SESSION):
        return await handler(request)
    signin = console_of(request).lotse.web_signin
    session = await signin.session(request.cookies.get(COOKIE))
    if session is not None:
        request[SESSION] = session
    if request.method not in ("GET", "HEAD") and not request.path.startswith(OPEN_POSTS):
        if session is None:
            return page(request, "message.html", status=401, title_key="signed-out-title",
                        message_key="signed-out")
        form = await form_of(request)
        if not session.csrf_matches(form.get("csrf") or request.headers.get("X-CSRF-Token")):
            log.warning("web console: a change by %s without a valid CSRF token was refused", session.person)
            return page(request, "message.html", status=403, title_key="csrf-title", message_key="csrf")
    return await handler(request)


async def home(request: web.Request) -> web.StreamResponse:
    if session_of(request) is not None:
        raise web.HTTPSeeOther("/kb")
    return page(request, "welcome.html", title_key="welcome-title")


async def confirm(request: web.Request) -> web.StreamResponse:
    return page(request, "signin.html", title_key="signin-title", token=request.match_info["token"])


async def sign_in(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    outcome = await console.lotse.web_signin.redeem(request.match_info["token"])
    if not isinstance(outcome, SignedIn):
        return page(request, "message.html", status=REFUSAL_STATUS[outcome], title_key="signin-refused-title",
                    message_key=f"signin-{outcome.value}")
    response = web.HTTPSeeOther("/kb")
    response.set_cookie(COOKIE, outcome.token, max_age=int(SESSION_LONGEST.total_seconds()), path="/",
                        httponly=True, samesite="Strict", secure=console.secure_cookie)
    raise response


async def sign_out(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(COOKIE)
    if token:
        await console_of(request).lotse.web_signin.sign_out(token)
    response = web.HTTPSeeOther("/?done=signed-out")
    response.del_cookie(COOKIE, path="/")
    raise response


async def choose_language(request: web.Request) -> web.StreamResponse:
    signed_in(request)
    form = await form_of(request)
    wanted = form.get("language")
    token = request.cookies.get(COOKIE)
    if wanted in LANGUAGES and token:
        await console_of(request).lotse.web_signin.choose_language(token, as_language(wanted))
    back = form.get("back", "/kb")
    raise web.HTTPSeeOther(back if back.startswith("/") and not back.startswith("//") else "/kb")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", home)
    app.router.add_get("/signin/{token}", confirm)
    app.router.add_post("/signin/{token}", sign_in)
    app.router.add_post("/signout", sign_out)
    app.router.add_post("/language", choose_language)
