"""HTTP for python-telegram-bot over aiohttp instead of its default httpx.

Measured with the fake Bot API (bench/telegram_throughput.py), httpx spent about two thirds of
the adapter's CPU per message, much of it scanning its connection pool on every request.
aiohttp does the same work for a fraction, and Lotse already depends on it for webhooks.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
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
        self._default_timeout: aiohttp.ClientTimeout | None = None
        self._default_timeout = self._timeout(
            self.DEFAULT_NONE, self.DEFAULT_NONE, self.DEFAULT_NONE, self.DEFAULT_NONE, uploads=False
        )

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
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpTransport is not initialized!")
        files = request_data.multipart_data if request_data is not None else {}
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, uploads=bool(files))
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), headers=_headers(request_data, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        uploads: bool,
    ) -> aiohttp.ClientTimeout:
        """aiohttp has no write timeout: the sum of all four bounds the whole request instead."""
        defaults = all(isinstance(value, DefaultValue) for value in (read, write, connect, pool))
        if defaults and not uploads and self._default_timeout is not None:
            return self._default_timeout
        chosen = {
            "read": self._defaults["read"] if isinstance(read, DefaultValue) else read,
            "write": (self._media_write_timeout if uploads else self._defaults["write"])
            if isinstance(write, DefaultValue)
            else write,
            "connect": self._defaults["connect"] if isinstance(connect, DefaultValue) else connect,
            "pool": self._defaults["pool"] if isinstance(pool, DefaultValue) else pool,
        }
        total = None if None in chosen.values() else sum(value for value in chosen.values() if value is not None)
        connect_total = (
            None if chosen["connect"] is None or chosen["pool"] is None else chosen["connect"] + chosen["pool"]
        )
        return aiohttp.ClientTimeout(
            total=total, connect=connect_total, sock_connect=chosen["connect"], sock_read=chosen["read"]
        )


def _headers(request_data: RequestData | None, files: dict[str, Any]) -> dict[str, str] | None:
    return {"Content-Type": "application/json"} if request_data is not None and not files else None


def _body(request_data: RequestData | None, files: dict[str, Any]) -> aiohttp.FormData | bytes | None:
    """A JSON body, which the Bot API takes as well as forms; multipart when files go along."""
    if request_data is None:
        return None
    if not files:
        return json.dumps(request_data.parameters).encode()
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename or name, content_type=mime_type)
    return form

