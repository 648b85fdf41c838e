"""A feed server on 127.0.0.1 for the digest tests: serves what the test sets, with ETag and
Last-Modified validators, answers 304 when they match, and can be told to break."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

LAST_MODIFIED = "Mon, 23 Nov 2026 08:00:00 GMT"


@dataclass
class FeedServer:
    """What the server serves at `/feed`; `url` is where, `requests` the conditional headers seen."""

    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    etag: str = '"v1"'
    url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append({k: v for k, v in request.headers.items() if k.lower().startswith("if-")})
        if self.status != 200:
            return web.Response(status=self.status, text="broken")
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        return web.Response(body=self.body, content_type=self.content_type,
                            headers={"ETag": self.etag, "Last-Modified": LAST_MODIFIED})


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    app = web.Application()
    app.router.add_get("/feed", server.handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.url = f"http://127.0.0.1:{port}/feed"
    try:
        yield server
    finally:
        await runner.cleanup()


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS 2.0 document of (guid, title, link) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>Über {title}</description></item>"
        for guid, title, link in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Netzwerk</title>'
            f"<link>https://example.org</link><description>x</description>{entries}</channel></rss>").encode()
