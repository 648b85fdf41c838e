"""The Bot API down for longer than the old five attempts lasted (~7.5 s): the answer in flight is
delivered late, never replaced by an apology; beyond the patience window it goes to the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.telegram.platform import TelegramPlatform
from bot.messages import ChatId, Reply
from tests.support.telegram_api import (
    ANNA,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    running_platform,
    settings_for,
)
from tests.telegram import conftest as telegram_fixtures
from tests.telegram.conftest import FAST

api = telegram_fixtures.api
conversation = telegram_fixtures.conversation
state = telegram_fixtures.state
lotse = telegram_fixtures.lotse
_timedelta_periods = telegram_fixtures._timedelta_periods

OUTAGE_S = 8.0


@dataclass
class Outbox:
    """Records what the adapter hands over, as `Lotse.queue_for_later` would store it."""

    queued: list[tuple[str, ChatId, Reply]] = field(default_factory=list)

    async def queue_for_later(self, key: str, recipient: ChatId, reply: Reply) -> None:
        self.queued.append((key, recipient, reply))


async def _in_hand(api: FakeBotApi, conversation: ScriptedConversation) -> None:
    await api.user_says("slow:0.3")
    await api.wait_until(lambda: True if conversation.handled else None, 5, "the question in hand")


async def test_an_answer_in_flight_survives_a_bot_api_outage_of_502s(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await _in_hand(api, conversation)
    api.outage(OUTAGE_S, status=502)
    [answer] = await api.wait_for("sendMessage", within=OUTAGE_S + 5)

    assert answer.params["text"] == "Nach 0.3 s bedacht."
    assert len([c for c in api.called("sendMessage") if c.status == 502]) > 5


async def test_an_answer_in_flight_survives_a_bot_api_that_does_not_answer(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    async with running_platform(settings_for(api), state, conversation, backoff=FAST, read_timeout=0.5):
        await api.wait_for("setMyCommands", count=3)
        await _in_hand(api, conversation)
        api.outage(OUTAGE_S, hang=1.0)
        [answer] = await api.wait_for("sendMessage", within=OUTAGE_S + 5)

    assert answer.params["text"] == "Nach 0.3 s bedacht."
    assert [c.params["text"] for c in api.sent()] == ["Nach 0.3 s bedacht."]


async def test_an_answer_that_outlasts_the_patience_window_goes_to_the_outbox_under_its_key(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    outbox = Outbox()
    async with running_platform(settings_for(api), state, conversation, backoff=FAST, send_patience_s=1.0,
                                hand_off=outbox.queue_for_later):
        await api.wait_for("setMyCommands", count=3)
        question = await api.user_says("slow:0.3")
        await api.wait_until(lambda: True if conversation.handled else None, 5, "the question in hand")
        api.outage(6.0)
        await api.wait_until(lambda: outbox.queued or None, 10, "the answer handed to the outbox")
        await api.wait_handled(question, within=10)

    assert [(key, recipient, reply.text) for key, recipient, reply in outbox.queued] == [
        (f"telegram-answer:{question['update_id']}:0", ChatId(f"telegram:{ANNA['id']}"), "Nach 0.3 s bedacht.")
    ]
    assert api.sent() == []
