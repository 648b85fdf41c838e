"""The aiohttp transport under python-telegram-bot: timeouts and network failures in PTB's own terms."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from adapters.telegram.transport import AiohttpTransport


@pytest.fixture
async def stalling_server() -> AsyncIterator[str]:
    """A server on 127.0.0.1 that takes two seconds over every answer."""

    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{method}", stall)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def transport() -> AsyncIterator[AiohttpTransport]:
    request = AiohttpTransport(read_timeout=0.2, connect_timeout=0.5, pool_timeout=0.5)
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


async def test_a_server_that_answers_too_late_is_a_timeout(stalling_server: str, transport: AiohttpTransport) -> None:
    with pytest.raises(TimedOut):
        await transport.do_request(f"{stalling_server}/sendMessage", "POST")


async def test_a_server_that_is_not_there_is_a_network_error(transport: AiohttpTransport) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as raised:
        await transport.do_request(f"http://127.0.0.1:{port}/sendMessage", "POST")
    assert raised.type is NetworkError


async def test_an_explicit_read_timeout_overrides_the_default(stalling_server: str) -> None:
    request = AiohttpTransport(read_timeout=0.2)
    await request.initialize()
    try:
        status, body = await request.do_request(f"{stalling_server}/getUpdates", "POST", read_timeout=5)
    finally:
        await request.shutdown()
    assert status == 200
    assert b'"ok": true' in body


async def test_requests_before_initialize_are_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpTransport().do_request("http://127.0.0.1:9/getMe", "POST")
