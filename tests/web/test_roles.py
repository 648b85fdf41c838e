"""Who may see what in the console: the same roles as in chat, checked on every request."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.messages import PersonId
from tests.support.core import FakeClock
from tests.web.conftest import ADMIN, MONA, Running
from tests.web.http import csrf_of, signed_in_client


async def test_pages_need_a_session(running: Running) -> None:
    async with aiohttp.ClientSession() as client:
        for path in ("/kb", "/queue", "/stats", "/resources", "/events", "/digests", "/audit", "/operators"):
            async with client.get(running.url + path, allow_redirects=False) as response:
                assert (response.status, response.headers["Location"]) == (303, "/"), path


async def test_a_change_without_a_session_is_refused(running: Running) -> None:
    async with aiohttp.ClientSession() as client, client.post(running.url + "/kb/zwei-faktor/delete",
                                                              data={"csrf": "x"}) as response:
        assert response.status == 401
    assert await running.lotse.knowledge_base.get("zwei-faktor") is not None


async def test_operators_page_is_for_admins_only(running: Running) -> None:
    async with await signed_in_client(running, MONA) as client, client.get(running.url + "/operators") as response:
        assert response.status == 403
        assert "Nur für den Betrieb" in await response.text()
    async with await signed_in_client(running, ADMIN) as client, client.get(running.url + "/operators") as response:
        assert response.status == 200


async def test_a_moderator_cannot_grant_roles(running: Running) -> None:
    async with await signed_in_client(running, MONA) as client:
        csrf = await csrf_of(client, running.url + "/kb")
        async with client.post(running.url + "/operators/roles",
                               data={"csrf": csrf, "person": "console:eve", "do": "grant"}) as response:
            assert response.status == 403
    assert not await running.lotse.roles.is_moderator(PersonId("console:eve"))


async def test_an_admin_grants_a_role_as_in_chat(running: Running) -> None:
    async with await signed_in_client(running, ADMIN) as client:
        csrf = await csrf_of(client, running.url + "/operators")
        async with client.post(running.url + "/operators/roles",
                               data={"csrf": csrf, "person": "console:eve", "do": "grant"}) as response:
            assert "console:eve moderiert jetzt mit." in await response.text()
    assert await running.lotse.roles.is_moderator(PersonId("console:eve"))
    [record] = await running.lotse.audit_log.records(subject="person:console:eve")
    assert (record.actor, record.action) == (ADMIN, "role.grant")


async def test_a_revoked_moderator_is_signed_out_at_the_next_click(running: Running) -> None:
    async with await signed_in_client(running, MONA) as client:
        await running.lotse.roles.revoke(PersonId(ADMIN), PersonId(MONA))
        async with client.get(running.url + "/kb", allow_redirects=False) as response:
            assert response.status == 303


async def test_the_cookie_is_secure_behind_https(tmp_path: Path, clock: FakeClock) -> None:
    from tests.web.conftest import start_console

    lotse, console = await start_console(f"sqlite+aiosqlite:///{tmp_path / 'https.db'}", clock,
                                         web={"enabled": True, "port": 0, "public_url": "https://lotse.example.org"})
    try:
        running = Running(lotse, console, clock)
        link = await running.link_for(ADMIN)
        async with aiohttp.ClientSession() as client, client.post(
                link.replace("https://lotse.example.org", running.url), allow_redirects=False) as response:
            cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    finally:
        await console.stop()
        await lotse.close()
