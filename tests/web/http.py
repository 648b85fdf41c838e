"""Talking to the console over plain HTTP, for what needs no browser: roles, cookies, health, metrics."""

from __future__ import annotations

import re

import aiohttp

from tests.web.conftest import Running

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def signed_in_client(running: Running, person: str) -> aiohttp.ClientSession:
    """A client holding `person`'s session cookie."""
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    link = await running.link_for(person)
    async with client.post(link.replace(running.lotse.settings.web.base_url, running.url),
                           allow_redirects=False) as response:
        assert response.status == 303, await response.text()
    return client


async def csrf_of(client: aiohttp.ClientSession, url: str) -> str:
    async with client.get(url) as response:
        found = CSRF.search(await response.text())
    assert found is not None
    return found.group(1)
