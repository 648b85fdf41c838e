"""The homeserver out of reach while an answer is on its way: the answer and Lotse's reactions
arrive once when it is back, and an answer that outlasts the patience goes to the outbox with
the transaction id it was first tried with."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import aiohttp
import pytest

from adapters.matrix.platform import MatrixPlatform
from bot.messages import ChatId, Command, IncomingMessage, Reply
from tests.matrix import conftest as matrix_fixtures
from tests.matrix.conftest import FEEDBACK, LotseAccount, NewMember, StartLotse
from tests.support.synapse import SynapseServer
from tests.support.tcp_proxy import TcpProxy

lotse_account = matrix_fixtures.lotse_account
start_lotse = matrix_fixtures.start_lotse
new_member = matrix_fixtures.new_member


@pytest.fixture
async def proxy(synapse: SynapseServer) -> AsyncIterator[TcpProxy]:
    relay = TcpProxy("127.0.0.1", synapse.port)
    await relay.start()
    yield relay
    await relay.cut()


class CutsTheLine:
    """Answers, but takes the homeserver away first, as an outage in the middle of an answer does."""

    def __init__(self, proxy: TcpProxy) -> None:
        self.proxy = proxy
        self.cut = asyncio.Event()

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        if message.text == "Frage":
            await self.proxy.cut()
            self.cut.set()
        return [Reply(f"Antwort: {message.text}")]

    def commands(self) -> Sequence[Command]:
        return []


class Handed:
    """The outbox's way in, recording what it was given."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, ChatId, Reply]] = []
        self.arrived = asyncio.Event()

    async def __call__(self, key: str, recipient: ChatId, reply: Reply) -> None:
        self.deliveries.append((key, recipient, reply))
        self.arrived.set()


async def test_an_answer_that_outlasts_the_patience_goes_to_the_outbox_and_arrives_once(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount, proxy: TcpProxy
) -> None:
    settings = lotse_account.settings.model_copy(update={"homeserver": f"http://127.0.0.1:{proxy.port}"})
    conversation = CutsTheLine(proxy)
    handed = Handed()
    lotse: MatrixPlatform = await start_lotse(conversation, settings=settings, hand_off=handed, send_patience_s=3.0)
    anna = await new_member("anna")
    room = await anna.create_room([lotse_account.user.user_id], direct=True)
    await anna.wait_joined(room, lotse_account.user.user_id)

    await anna.say(room, "Frage")
    async with asyncio.timeout(60):
        await handed.arrived.wait()
    await proxy.restore()
    key, recipient, reply = handed.deliveries[0]
    await lotse.send(recipient, reply, key)
    await lotse.send(recipient, reply, key)
    await anna.say(room, "Danach")
    await anna.answer_from(lotse.user_id, room, after=1, within_s=60)

    assert len(handed.deliveries) == 1 and recipient == f"matrix:{room}"
    assert [event.body for event in anna.from_user(lotse.user_id, room)] == ["Antwort: Frage", "Antwort: Danach"]


class WithFeedback:
    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        return [Reply(f"Antwort: {message.text}", feedback=FEEDBACK)]

    def commands(self) -> Sequence[Command]:
        return []


async def test_reactions_outlast_more_failures_than_they_used_to_allow(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> None:
    lotse = await start_lotse(WithFeedback())
    anna = await new_member("anna")
    room = await anna.create_room([lotse_account.user.user_id], direct=True)
    await anna.wait_joined(room, lotse_account.user.user_id)
    send = lotse.client.room_send
    failures = {"left": 7}

    async def unreachable_for_reactions(room_id: str, message_type: str, *args: Any, **kwargs: Any) -> Any:
        if message_type == "m.reaction" and failures["left"] > 0:
            failures["left"] -= 1
            raise aiohttp.ClientConnectionError("connection refused")
        return await send(room_id, message_type, *args, **kwargs)

    lotse.client.room_send = unreachable_for_reactions
    await anna.say(room, "Frage")
    answer = await anna.answer_from(lotse.user_id, room)

    def reaction(label: str) -> Callable[[str, Any], bool]:
        return lambda rid, event: (rid == room and getattr(event, "key", None) == label
                                   and getattr(event, "reacts_to", None) == answer.event_id)

    reactions = [await anna.wait_for(reaction(label), within_s=90) for label in ("👍", "👎")]

    assert failures["left"] == 0 and len(reactions) == 2
