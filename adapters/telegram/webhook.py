"""Webhook mode: Telegram pushes updates to our endpoint, and the secret token proves that a
request really comes from Telegram (checked on every request; without it: 403)."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from adapters.retry import Backoff, retry
from adapters.telegram.intake import ALLOWED_UPDATES, Poison, read
from adapters.telegram.retry import classify
from bot.config import WebhookSettings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
log = logging.getLogger(__name__)


class Webhook:
    def __init__(
        self,
        bot: Bot,
        settings: WebhookSettings,
        process: Callable[[Update], Awaitable[None]],
        backoff: Backoff,
    ) -> None:
        self._bot = bot
        self._settings = settings
        self._process = process
        self._backoff = backoff
        configured = settings.secret_token.get_secret_value() if settings.secret_token else ""
        self._secret = configured or secrets.token_urlsafe(32)

    async def run(self) -> None:
        """Serve until cancelled. Telegram keeps updates while we are away and delivers them later."""
        app = web.Application()
        app.router.add_post(urlsplit(self._settings.url).path or "/", self._receive)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._settings.listen, self._settings.port).start()
            await retry(
                lambda: self._bot.set_webhook(
                    self._settings.url, secret_token=self._secret, allowed_updates=ALLOWED_UPDATES
                ),
                classify, what="Telegram setWebhook", max_attempts=None, backoff=self._backoff.fresh(),
            )
            log.info("Receiving Telegram updates at %s", self._settings.url)
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            log.warning("Rejected a webhook request without the right secret token from %s", request.remote)
            return web.Response(status=403)
        try:
            raw = await request.json()
        except ValueError:
            return web.Response(status=400)
        update = read(raw, self._bot)
        if isinstance(update, Poison):
            # 200, not an error status: Telegram would deliver it again and again.
            log.error("Telegram: skipped webhook update %s: %s", update.update_id, update.reason)
            return web.Response()
        await self._process(update)
        return web.Response()
