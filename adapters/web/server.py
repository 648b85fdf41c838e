"""The console's HTTP server in `lotse run`: pages, health and metrics, optionally metrics elsewhere.

An adapter like the chat ones, with the same lifecycle: `start` binds and serves in the background,
`stop` closes. It reaches the features through the core's services only.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from adapters.web import check_catalogue, digest, health, knowledge, kompass, operators, queue, signin, stats
from adapters.web.console import CONSOLE, Console, Handler, page
from adapters.web.errors import RecentErrors
from adapters.web.metrics import PrometheusMetrics
from adapters.web.render import Templates
from bot.composition import Lotse

log = logging.getLogger(__name__)

STATIC = Path(str(files("adapters.web") / "static"))


@web.middleware
async def not_found_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unknown addresses get a page in the moderator's language, not aiohttp's bare text."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return page(request, "message.html", status=404, title_key="not-found-title", message_key="not-found")


class WebConsole:
    """Serves the console on `web.listen`:`web.port`, and health and metrics also on `web.metrics_listen`."""

    name = "web"

    def __init__(self, lotse: Lotse, metrics: PrometheusMetrics, errors: RecentErrors | None = None,
                 adapters: tuple[str, ...] = ()) -> None:
        self._settings = lotse.settings.web
        secure = self._settings.base_url.startswith("https://")
        templates = Templates(ZoneInfo(lotse.settings.digest.schedule.timezone))
        self._console = Console(lotse, metrics, errors, templates, adapters, secure)
        self._runners: list[web.AppRunner] = []
        self.port: int | None = None
        """The port the console listens on, once started (useful when configured as 0)."""
        self.metrics_port: int | None = None

    def application(self) -> web.Application:
        app = web.Application(middlewares=[not_found_page, signin.sessions], client_max_size=1024 * 1024)
        app[CONSOLE] = self._console
        health.add_routes(app)
        signin.add_routes(app)
        for pages in (knowledge, queue, stats, digest, kompass, check_catalogue, operators):
            pages.add_routes(app)
        app.router.add_static("/static", STATIC, append_version=False)
        return app

    def health_application(self) -> web.Application:
        app = web.Application()
        app[CONSOLE] = self._console
        health.add_routes(app)
        return app

    async def start(self) -> None:
        if self._console.errors is not None:
            logging.getLogger().addHandler(self._console.errors)
        self.port = await self._serve(self.application(), self._settings.listen, self._settings.port)
        if not self._settings.public_url:
            host = self._settings.listen if ":" not in self._settings.listen else f"[{self._settings.listen}]"
            self._console.lotse.web_signin.serving_at(f"http://{host}:{self.port}")
        log.info("web console on %s (listening on %s:%d)", self._settings.base_url, self._settings.listen, self.port)
        if self._settings.metrics_listen:
            host, _, port = self._settings.metrics_listen.rpartition(":")
            self.metrics_port = await self._serve(self.health_application(), host.strip("[]"), int(port))
            log.info("health and metrics on %s:%d", host, self.metrics_port)

    async def stop(self) -> None:
        if self._console.errors is not None:
            logging.getLogger().removeHandler(self._console.errors)
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    async def _serve(self, app: web.Application, host: str, port: int) -> int:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        self._runners.append(runner)
        await web.TCPSite(runner, host, port).start()
        return int(runner.addresses[-1][1])
