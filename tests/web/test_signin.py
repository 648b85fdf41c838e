"""The store behind `/web`: one-time links, sessions with the chat's roles, expiry; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.composition import Lotse, assemble
from bot.features.web_signin import Refusal, SignedIn, WebSignIn
from bot.messages import PersonId
from tests.support.core import FakeClock, message_from, sample_settings

ADMIN = PersonId("console:admin")
MONA = PersonId("console:mona")


@pytest.fixture
async def lotse(database_url: str, clock: FakeClock) -> AsyncIterator[Lotse]:
    core = await assemble(sample_settings(database_url, admins=[ADMIN],
                                          web={"enabled": True, "public_url": "https://lotse.example.org"}),
                          clock=clock)
    await core.roles.grant(ADMIN, MONA)
    yield core
    await core.close()


async def signed_in(signin: WebSignIn, person: PersonId = MONA) -> SignedIn:
    link = await signin.issue_link(person, "de")
    outcome = await signin.redeem(link.rpartition("/")[2])
    assert isinstance(outcome, SignedIn)
    return outcome


async def test_a_link_points_to_the_public_address_and_opens_one_session(lotse: Lotse) -> None:
    link = await lotse.web_signin.issue_link(MONA, "en")
    assert link.startswith("https://lotse.example.org/signin/")
    outcome = await lotse.web_signin.redeem(link.rpartition("/")[2])
    assert isinstance(outcome, SignedIn)
    session = await lotse.web_signin.session(outcome.token)
    assert session is not None and (session.person, session.language, session.is_admin) == (MONA, "en", False)
    assert await lotse.web_signin.redeem(link.rpartition("/")[2]) is Refusal.USED


async def test_an_unknown_link_opens_nothing(lotse: Lotse) -> None:
    assert await lotse.web_signin.redeem("made-up") is Refusal.UNKNOWN


async def test_a_link_is_valid_for_ten_minutes(lotse: Lotse, clock: FakeClock) -> None:
    fresh = await lotse.web_signin.issue_link(MONA, "de")
    stale = await lotse.web_signin.issue_link(MONA, "de")
    clock.advance(minutes=9, seconds=59)
    assert isinstance(await lotse.web_signin.redeem(fresh.rpartition("/")[2]), SignedIn)
    clock.advance(seconds=1)
    assert await lotse.web_signin.redeem(stale.rpartition("/")[2]) is Refusal.EXPIRED


async def test_a_session_ends_after_two_idle_hours(lotse: Lotse, clock: FakeClock) -> None:
    signed = await signed_in(lotse.web_signin)
    clock.advance(hours=1, minutes=59)
    assert await lotse.web_signin.session(signed.token) is not None
    clock.advance(hours=2, minutes=1)
    assert await lotse.web_signin.session(signed.token) is None


async def test_a_busy_session_still_ends_twelve_hours_after_sign_in(lotse: Lotse, clock: FakeClock) -> None:
    signed = await signed_in(lotse.web_signin)
    for _ in range(12):
        assert await lotse.web_signin.session(signed.token) is not None
        clock.advance(hours=1)
    assert await lotse.web_signin.session(signed.token) is None


async def test_losing_the_moderator_role_ends_the_session(lotse: Lotse) -> None:
    signed = await signed_in(lotse.web_signin)
    await lotse.roles.revoke(ADMIN, MONA)
    assert await lotse.web_signin.session(signed.token) is None
    await lotse.roles.grant(ADMIN, MONA)
    assert await lotse.web_signin.session(signed.token) is None


async def test_admins_are_admins_in_the_console_too(lotse: Lotse) -> None:
    signed = await signed_in(lotse.web_signin, ADMIN)
    session = await lotse.web_signin.session(signed.token)
    assert session is not None and session.is_admin


async def test_signing_out_ends_the_session(lotse: Lotse) -> None:
    signed = await signed_in(lotse.web_signin)
    await lotse.web_signin.sign_out(signed.token)
    assert await lotse.web_signin.session(signed.token) is None


async def test_the_csrf_token_must_match_exactly(lotse: Lotse) -> None:
    session = (await signed_in(lotse.web_signin)).session
    assert session.csrf_matches(session.csrf)
    assert not session.csrf_matches(None)
    assert not session.csrf_matches("")
    assert not session.csrf_matches(session.csrf[:-1])


async def test_only_hashes_are_stored(lotse: Lotse) -> None:
    from sqlalchemy import select

    from bot.features.web_signin import WebLinkRow, WebSessionRow

    link = await lotse.web_signin.issue_link(MONA, "de")
    signed = await lotse.web_signin.redeem(link.rpartition("/")[2])
    assert isinstance(signed, SignedIn)
    async with lotse.database.reading() as session:
        stored = [*await session.scalars(select(WebLinkRow.token_hash)),
                  *await session.scalars(select(WebSessionRow.token_hash))]
    assert link.rpartition("/")[2] not in stored and signed.token not in stored


async def test_forgetting_a_person_ends_their_sessions(lotse: Lotse) -> None:
    signed = await signed_in(lotse.web_signin)
    assert (await lotse.web_signin.personal_data(MONA))["sessions"]
    await lotse.web_signin.forget(MONA)
    assert await lotse.web_signin.session(signed.token) is None
    assert (await lotse.web_signin.personal_data(MONA))["sessions"] == []


async def test_web_in_a_group_chat_sends_no_link(lotse: Lotse) -> None:
    from dataclasses import replace

    from bot.messages import Chat, ChatId

    message = message_from(MONA, "/web")
    in_group = replace(message, chat=Chat(ChatId("console:group"), is_direct=False))
    [reply] = await lotse.conversation.handle(in_group)
    assert "/signin/" not in reply.text and "direkten Chat" in reply.text


async def test_web_says_so_when_the_console_is_off(database_url: str, clock: FakeClock) -> None:
    core = await assemble(sample_settings(database_url, admins=[ADMIN]), clock=clock)
    try:
        [reply] = await core.conversation.handle(message_from(ADMIN, "/web", language_hint="en"))
    finally:
        await core.close()
    assert reply.text.startswith("The web console is not switched on")
