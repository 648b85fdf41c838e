"""HTTP for python-telegram-bot over aiohttp instead of its default httpx.

Measured with the fake Bot API (bench/telegram_throughput.py), httpx spent about two thirds of
the adapter's CPU per message, much of it scanning its connection pool on every request.
aiohttp does the same work for a fraction, and Lotse already depends on it for webhooks.
Only PTB's public `BaseRequest` seam is used: a timeout the caller did not give arrives as
`BaseRequest.DEFAULT_NONE` and means "this transport's default".
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpTransport(BaseRequest):
    """PTB's `BaseRequest` seam: one aiohttp session with a bounded pool of keep-alive connections."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._defaults = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout}
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._default_timeout = _client_timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)

    @property
    def read_timeout(self) -> float | None:
        return self._defaults["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}, raise_for_status=False
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpTransport is not initialized!")
        files = request_data.multipart_data if request_data is not None else {}
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, uploads=bool(files))
        body, headers = _payload(request_data, files)
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error

    def _timeout(
        self, read: object, write: object, connect: object, pool: object, uploads: bool
    ) -> aiohttp.ClientTimeout:
        if not uploads and all(value is BaseRequest.DEFAULT_NONE for value in (read, write, connect, pool)):
            return self._default_timeout
        default_write = self._media_write_timeout if uploads else self._defaults["write"]
        return _client_timeout(
            _chosen(read, self._defaults["read"]),
            _chosen(write, default_write),
            _chosen(connect, self._defaults["connect"]),
            _chosen(pool, self._defaults["pool"]),
        )


def _chosen(given: object, default: float | None) -> float | None:
    """The caller's timeout in seconds (None: no limit), or `default` where it gave none."""
    if isinstance(given, int | float):
        return float(given)
    return None if given is None else default


def _client_timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp has no write timeout: the sum of all four bounds the whole request instead."""
    parts = (read, write, connect, pool)
    total = None if None in parts else sum(part for part in parts if part is not None)
    connect_total = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=connect_total, sock_connect=connect, sock_read=read)


def _payload(
    request_data: RequestData | None, files: dict[str, Any]
) -> tuple[aiohttp.FormData | bytes | None, dict[str, str] | None]:
    """A JSON body, which the Bot API takes as well as forms; multipart when files go along."""
    if request_data is None:
        return None, None
    if not files:
        return json.dumps(request_data.parameters).encode(), {"Content-Type": "application/json"}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename or name, content_type=mime_type)
    return form, None
