"""`/healthz`, `/readyz` and `/metrics`: for load balancers, orchestrators and Prometheus, without sign-in."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from adapters.web.console import console_of
from adapters.web.metrics import CONTENT_TYPE

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 5.0
"""Seconds a readiness check waits for the database before calling it unreachable."""


async def healthz(request: web.Request) -> web.Response:
    """The process is alive and serving."""
    return web.Response(text="ok\n")


async def readyz(request: web.Request) -> web.Response:
    """Ready when the database answers, its migrations are current and every enabled adapter runs.
    One line per check; 503 when any fails."""
    console = console_of(request)
    lines: list[str] = []
    ready = True
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await console.lotse.database.ping()
            pending = await console.lotse.database.pending_migrations()
        lines.append("database: ok")
        if pending:
            ready = False
            lines.append(f"migrations: pending {', '.join(sorted(pending))}")
        else:
            lines.append("migrations: ok")
    except Exception as error:
        log.warning("readiness: the database cannot be reached: %r", error)
        ready = False
        lines.append(f"database: unreachable ({type(error).__name__})")
        lines.append("migrations: unknown")
    states = console.metrics.adapter_states()
    for adapter in console.adapters:
        state = states.get(adapter, "starting")
        ready = ready and state == "running"
        lines.append(f"adapter {adapter}: {'ok' if state == 'running' else state}")
    lines.insert(0, "ready" if ready else "not ready")
    return web.Response(text="\n".join(lines) + "\n", status=200 if ready else 503)


async def metrics(request: web.Request) -> web.Response:
    console = console_of(request)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            console.metrics.outbox(await console.lotse.outbox.backlog(), console.lotse.clock())
    except Exception as error:
        log.warning("metrics: the outbox cannot be read: %r", error)
    return web.Response(body=console.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
