"""Match rounds: on schedule, one message per opted-in member, computed once, follow-up a week later."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

import bot.features.matching.introductions as introductions_module
from bot import outbox
from bot.composition import Lotse, assemble
from bot.config import ScheduleSettings
from bot.features.matching.rounds import latest_round
from bot.features.matching.tables import IntroductionRow, RoundRow
from tests.matching.steps import ANNA, BERND, CLARA, Inboxes, action_of, fill_in_profile, run_matching_job, tap
from tests.support.core import FakeClock, sample_settings
from tests.support.database import postgres_database

MONDAY_10_BERLIN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_rounds_fall_every_second_monday_at_ten_in_berlin() -> None:
    schedule = ScheduleSettings(weekday="monday", time="10:00", timezone="Europe/Berlin")
    assert latest_round(MONDAY_10_BERLIN, schedule, 2) == MONDAY_10_BERLIN
    assert latest_round(datetime(2026, 12, 6, 20, tzinfo=UTC), schedule, 2) == MONDAY_10_BERLIN
    assert latest_round(datetime(2026, 12, 7, 9, tzinfo=UTC), schedule, 2) == datetime(2026, 12, 7, 9, tzinfo=UTC)
    assert latest_round(datetime(2026, 11, 23, 8, 59, tzinfo=UTC), schedule, 2).date().isoformat() == "2026-11-09"


async def three_members(lotse: Lotse) -> None:
    for person in (ANNA, BERND, CLARA):
        await fill_in_profile(lotse, person, challenges="KI")


async def test_an_odd_number_of_members_leaves_one_out_who_is_told_so(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await three_members(lotse)
    await run_matching_job(lotse)
    await inboxes.deliver()
    received = {person: inboxes.of(person) for person in (ANNA, BERND, CLARA)}
    assert all(len(replies) == 1 for replies in received.values()), "exactly one message each"
    alone = [p for p, [reply] in received.items() if "niemand übrig geblieben" in reply.text]
    assert len(alone) == 1


async def test_a_round_runs_once_however_often_the_scheduler_ticks(lotse: Lotse, clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    await three_members(lotse)
    for _ in range(3):
        await run_matching_job(lotse)
        clock.advance(minutes=30)
    await inboxes.deliver()
    assert len(inboxes.all()) == 3


async def test_no_round_outside_its_time(lotse: Lotse, clock: FakeClock) -> None:
    await three_members(lotse)
    clock.advance(days=3)
    await run_matching_job(lotse)
    assert await lotse.outbox.pending() == 0


async def test_a_restart_in_the_middle_of_a_round_sends_nothing_twice(lotse: Lotse,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    inboxes = Inboxes(lotse)
    for number in range(6):
        await fill_in_profile(lotse, f"telegram:{2000 + number}", challenges="KI")
    real_enqueue = outbox.enqueue
    calls = 0

    async def crash_on_the_fourth(*args: object, **kwargs: object) -> bool:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise ConnectionError("instance killed mid-round")
        return await real_enqueue(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(introductions_module, "enqueue", crash_on_the_fourth)
    with pytest.raises(ConnectionError):
        await run_matching_job(lotse)
    assert await lotse.outbox.pending() == 0
    monkeypatch.setattr(introductions_module, "enqueue", real_enqueue)
    await run_matching_job(lotse)
    await run_matching_job(lotse)
    await inboxes.deliver()
    assert sorted(to for to, _ in inboxes.all()) == [f"telegram:{2000 + n}" for n in range(6)]


async def test_two_instances_on_postgresql_compute_a_round_once(clock: FakeClock) -> None:
    async with postgres_database() as url:
        first = await assemble(sample_settings(url), clock=clock)
        second = await assemble(sample_settings(url), clock=clock)
        try:
            for number in range(10):
                await fill_in_profile(first, f"telegram:{3000 + number}", challenges="KI, Open Data")
            done = await asyncio.gather(*(run_matching_job(core) for core in (first, second, first, second)))
            assert done == [None] * 4
            async with first.database.transaction() as session:
                assert await session.scalar(select(func.count()).select_from(RoundRow)) == 1
                assert await session.scalar(select(func.count()).select_from(IntroductionRow)) == 5
            assert await first.outbox.pending() == 10
        finally:
            await first.close()
            await second.close()


async def test_members_introduced_in_a_round_are_asked_a_week_later_whether_they_met(lotse: Lotse,
                                                                                  clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="KI")
    await fill_in_profile(lotse, BERND, challenges="KI", language="en")
    await run_matching_job(lotse)
    await inboxes.deliver()
    await tap(lotse, ANNA, action_of(inboxes.of(ANNA)[0]))
    await tap(lotse, BERND, action_of(inboxes.of(BERND)[0]), "en")
    clock.advance(days=6)
    await run_matching_job(lotse)
    await inboxes.deliver()
    assert len(inboxes.of(ANNA)) == 2
    clock.advance(days=1)
    await run_matching_job(lotse)
    await run_matching_job(lotse)
    await inboxes.deliver()
    [follow_up] = inboxes.of(ANNA)[2:]
    assert follow_up.text.startswith("Vor einer Woche habe ich Sie mit jemandem zu Künstliche Intelligenz")
    assert [c.label for c in follow_up.choices] == ["Ja", "Noch nicht", "Nein"]
    [thanks] = await tap(lotse, ANNA, action_of(follow_up, 0))
    assert thanks.text == "Danke für Ihre Rückmeldung!"
    await tap(lotse, BERND, action_of(inboxes.of(BERND)[2], 1), "en")
    stats = await lotse.matching.stats_section("en", clock.now)
    assert "- Proposed: 1\n- Came about: 1\n- Did they meet? yes 1, not yet 1, no 0" in stats
    assert ANNA not in stats and BERND not in stats
