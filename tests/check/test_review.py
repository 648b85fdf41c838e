"""Reviews: the reminder on the review date (09:00 in Berlin, across a daylight-saving switch), the re-run
from the last answers, and what changed since last time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import cast

from bot.composition import Lotse
from bot.messages import ChatPlatform
from bot.outbox import OutboxWorker
from tests.check.steps import ANNA, BERND, answer_statements, begin, choice, say, tap, text_of
from tests.support.core import FakeClock
from tests.support.recording import RecordingPlatform


async def finish(lotse: Lotse) -> None:
    await answer_statements(lotse, ANNA, await begin(lotse, ANNA))
    await say(lotse, ANNA, "-")


async def run_reviews(lotse: Lotse) -> None:
    [job] = [job for job in lotse.jobs if job.name == "check-reviews"]
    await job.run_due(lotse.clock())


async def delivered(lotse: Lotse) -> list[tuple[str, str]]:
    platforms = {name: RecordingPlatform(name) for name in ("telegram", "matrix", "console")}
    await OutboxWorker(lotse.outbox, cast(Mapping[str, ChatPlatform], platforms)).deliver_due()
    return [(to, reply.text) for platform in platforms.values() for to, reply in platform.sent]


async def test_the_reminder_comes_at_nine_in_berlin_three_months_later_across_the_switch_to_summer_time(
        lotse: Lotse, clock: FakeClock) -> None:
    clock.now = datetime(2027, 1, 10, 15, 0, tzinfo=UTC)
    await finish(lotse)
    code = (await lotse.check.store.of(ANNA)).code  # type: ignore[arg-type, union-attr]
    await say(lotse, BERND, f"/check join {code}")
    clock.now = datetime(2027, 4, 10, 6, 59, tzinfo=UTC)
    await run_reviews(lotse)
    assert await delivered(lotse) == []
    clock.now = datetime(2027, 4, 10, 7, 0, tzinfo=UTC)
    await run_reviews(lotse)
    await run_reviews(lotse)
    sent = await delivered(lotse)
    assert sorted(to for to, _ in sent) == sorted([ANNA, BERND])
    assert all("/check review" in text for _, text in sent)


async def test_a_check_finished_in_summer_is_reviewed_at_nine_winter_time(lotse: Lotse, clock: FakeClock) -> None:
    clock.now = datetime(2027, 8, 20, 10, 0, tzinfo=UTC)
    await finish(lotse)
    check = await lotse.check.store.of(ANNA)  # type: ignore[arg-type]
    assert check is not None and check.review_at == datetime(2027, 11, 20, 8, 0, tzinfo=UTC)


async def test_the_review_starts_from_the_last_answers_and_shows_what_changed(lotse: Lotse) -> None:
    await finish(lotse)
    replies = await say(lotse, ANNA, "/check review")
    assert "Runde 2" in replies[0].text
    assert "Beim letzten Mal: *Ja*. Stimmt das noch?" in replies[-1].text
    assert replies[-1].choices[0].label == "Stimmt noch"

    def improved(key: str, number: int) -> tuple[str, int]:
        return ("y", 0) if key.startswith("security/") else ("k", 0)

    replies = await answer_statements(lotse, ANNA, replies, improved)
    text = text_of(replies)
    assert "- IT-Sicherheit und Datenschutz: 0 % → 100 %" in text
    assert "Strategie und Führungsauftrag:" not in text.split("Seit dem letzten Mal")[1]


async def test_still_true_keeps_the_importance_given_last_time(lotse: Lotse) -> None:
    await finish(lotse)
    replies = await say(lotse, ANNA, "/check review")
    replies = await answer_statements(lotse, ANNA, replies, lambda key, number: ("k", 0))
    assert "Seit dem letzten Mal hat sich nichts verändert." not in text_of(replies)
    assert "IT-Sicherheit und Datenschutz** leisten?" in replies[-1].text
    replies = await say(lotse, ANNA, "-")
    assert "Seit dem letzten Mal hat sich nichts verändert." in text_of(replies)


async def test_a_review_before_the_check_is_finished_continues_the_check(lotse: Lotse) -> None:
    replies = await begin(lotse, ANNA)
    await tap(lotse, ANNA, choice(replies, ":a:0:y"))
    replies = await say(lotse, ANNA, "/check review")
    assert "noch nicht fertig" in replies[0].text and "Aussage 2 von 29" in replies[-1].text
