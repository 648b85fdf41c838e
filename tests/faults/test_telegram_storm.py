"""A 429 storm longer than many `retry_after`s: every answer is delivered once, none is replaced by
an apology, and no send goes out while a 429 told the bot to wait."""

from __future__ import annotations

from collections import Counter
from typing import Any

from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import FakeBotApi, ScriptedConversation
from tests.telegram import conftest as telegram_fixtures

api = telegram_fixtures.api
conversation = telegram_fixtures.conversation
state = telegram_fixtures.state
lotse = telegram_fixtures.lotse
_timedelta_periods = telegram_fixtures._timedelta_periods

MEMBERS = [{"id": 3000 + n, "is_bot": False, "first_name": f"Lotsin {n}", "language_code": "de"} for n in range(20)]
IN_FLIGHT_S = 0.05
"""A send that left before the bot heard of a 429 may arrive just after it; that is not early."""


async def test_every_answer_survives_a_429_storm_once_without_an_apology_and_never_early(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    api.storm(seconds=6, retry_after=1)
    for member in MEMBERS:
        await api.user_says(f"Frage von {member['first_name']}", user=member)
    await api.wait_for("sendMessage", count=len(MEMBERS), within=20)

    answered: Counter[Any] = Counter(call.params["chat_id"] for call in api.sent())
    assert answered == Counter({member["id"]: 1 for member in MEMBERS})
    assert not any("schiefgegangen" in call.params["text"] for call in api.sent())
    assert [send for send in api.early if send.late_by > IN_FLIGHT_S] == []
    assert api.rate_limited > len(MEMBERS)
