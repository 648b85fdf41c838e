"""Homeserver trouble: a restart, rate limits, and a revoked access token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import pytest
from nio import AsyncClient
from pydantic import SecretStr

from adapters.matrix.platform import MatrixPlatform
from bot.config import MatrixSettings
from bot.messages import Command, IncomingMessage, PlatformStopped, Reply
from tests.matrix.conftest import Dm, LotseAccount, MemoryState
from tests.matrix.members import Member
from tests.support.synapse import SynapseServer, start_synapse


class PlainAnswers:
    """Answers without feedback, so each question costs exactly one message under rate limits."""

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        return [Reply(f"Antwort: {message.text}")]

    def commands(self) -> Sequence[Command]:
        return []


async def test_lotse_reconnects_after_a_synapse_restart(dm: Dm, synapse: SynapseServer) -> None:
    await dm.member.say(dm.room, "Vor dem Neustart")
    await dm.member.answer_from(dm.lotse_id, dm.room)

    await synapse.restart()
    await dm.member.say(dm.room, "Nach dem Neustart")
    answer = await dm.member.answer_from(dm.lotse_id, dm.room, after=1, within_s=40)

    assert answer.body == "Echo: Nach dem Neustart"


async def test_a_rate_limited_homeserver_still_gets_every_answer_once(
    synapse_factory: list[SynapseServer], tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    limited = await start_synapse(synapse_factory, limits={"rc_message": {"per_second": 2, "burst_count": 2}})
    admin = await limited.register("admin", admin=True)
    lotse_user = await limited.register("lotse")
    anna_user = await limited.register("anna")
    await limited.exempt_from_rate_limits(admin, anna_user.user_id)
    settings = MatrixSettings(
        enabled=True,
        homeserver=limited.url,
        user_id=lotse_user.user_id,
        password=SecretStr(lotse_user.password),
        store_dir=tmp_path / "store",  # type: ignore[operator]
    )
    platform = MatrixPlatform(settings, MemoryState(), sync_timeout_ms=5000)
    await platform.initialize()
    anna = await Member.join_server(limited, "anna", user=anna_user)
    try:
        await platform.start(PlainAnswers())
        room = await anna.create_room([lotse_user.user_id], direct=True)
        await anna.wait_joined(room, lotse_user.user_id)
        questions = [f"Frage {n}" for n in range(6)]
        with caplog.at_level(logging.WARNING, logger="adapters.matrix.retry"):
            for question in questions:
                await anna.say(room, question)
            await anna.answer_from(lotse_user.user_id, room, after=len(questions) - 1, within_s=30)
            await asyncio.sleep(1.0)

        answers = [event.body for event in anna.from_user(lotse_user.user_id, room)]
        assert answers == [f"Antwort: {q}" for q in questions]
        assert any("M_LIMIT_EXCEEDED" in record.getMessage() for record in caplog.records)
    finally:
        await platform.shutdown()
        await anna.close()


async def test_an_unknown_configured_token_stops_with_a_clear_message(
    lotse_account: LotseAccount, synapse: SynapseServer
) -> None:
    settings = lotse_account.settings.model_copy(
        update={"password": None, "access_token": SecretStr("syt_not_a_real_token")}
    )
    platform = MatrixPlatform(settings, MemoryState())

    with pytest.raises(PlatformStopped, match="M_UNKNOWN_TOKEN"):
        await platform.initialize()


async def test_a_token_revoked_while_running_stops_the_adapter_without_retrying(
    dm: Dm, lotse_account: LotseAccount, synapse: SynapseServer
) -> None:
    token = lotse_account.state.values["access_token"]
    other = AsyncClient(synapse.url, lotse_account.user.user_id)
    other.restore_login(lotse_account.user.user_id, lotse_account.state.values["device_id"], token)
    try:
        await other.logout()
    finally:
        await other.close()

    async with asyncio.timeout(15):
        with pytest.raises(PlatformStopped, match="rejected Lotse's access token"):
            await dm.platform.wait_stopped()
