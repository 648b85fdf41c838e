"""A member who floods Lotse is throttled with one polite notice; everyone else is answered as before."""

from bot.composition import Lotse, assemble
from bot.throttle import Throttle, Verdict
from tests.support.core import FakeClock, message_from, sample_settings


class Seconds:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_member_within_the_budget_is_always_admitted() -> None:
    seconds = Seconds()
    throttle = Throttle(burst=3, per_minute=60, clock=seconds)
    for _ in range(20):
        assert throttle.admit("telegram:1") is Verdict.ADMITTED
        seconds.now += 1.0


def test_a_flood_gets_one_notice_and_the_rest_is_dropped_until_the_budget_refills() -> None:
    seconds = Seconds()
    throttle = Throttle(burst=3, per_minute=6, clock=seconds)
    verdicts = [throttle.admit("telegram:1") for _ in range(8)]
    assert verdicts == [Verdict.ADMITTED] * 3 + [Verdict.NOTICE] + [Verdict.DROPPED] * 4
    assert throttle.wait("telegram:1") == 10.0
    assert throttle.admit("telegram:2") is Verdict.ADMITTED, "others keep their own budget"
    seconds.now += 10
    assert throttle.admit("telegram:1") is Verdict.ADMITTED
    assert throttle.admit("telegram:1") is Verdict.DROPPED, "still the same flood: no second notice"
    seconds.now += 30
    assert [throttle.admit("telegram:1") for _ in range(4)] == [Verdict.ADMITTED] * 3 + [Verdict.NOTICE]


async def test_the_router_answers_a_flooding_member_once_with_a_notice_and_others_normally(
    database_url: str, clock: FakeClock
) -> None:
    lotse: Lotse = await assemble(sample_settings(database_url, throttle={"burst": 5, "per_minute": 10}), clock)
    try:
        replies = [await lotse.conversation.handle(message_from("telegram:1", "/help")) for _ in range(30)]
        assert all(replies[:5])
        [notice] = replies[5]
        assert notice.text.startswith("Sie schreiben mir gerade sehr viele Nachrichten.")
        assert "in etwa 6 Sekunden" in notice.text
        assert all(reply == [] for reply in replies[6:])
        [help_text] = await lotse.conversation.handle(message_from("telegram:2", "/help"))
        assert "/help" in help_text.text
    finally:
        await lotse.close()
