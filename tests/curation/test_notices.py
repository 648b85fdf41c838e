"""Moderators hear of new unanswered groups in batches, and of entries whose review date has come."""

from bot.composition import Lotse
from tests.curation.conftest import ANNA, MONA, Start, delivered, say
from tests.support.core import FakeClock

ROOM = "console:moderators"


async def run_jobs(lotse: Lotse, clock: FakeClock) -> None:
    for job in lotse.curation.jobs():
        await job.run_due(clock.now)


async def test_new_groups_are_announced_in_one_batched_notice(start: Start, clock: FakeClock) -> None:
    lotse = await start(rooms=[ROOM], notice_interval_minutes=30)
    await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    await say(lotse, ANNA, "Wie beantrage ich Geld für Lastenräder?")
    await run_jobs(lotse, clock)
    [(room, notice)] = await delivered(lotse)
    assert room == ROOM
    assert "#1 (1×) Wie gründen wir einen Verein?" in notice.text and "#2 (1×) Wie beantrage" in notice.text


async def test_no_second_notice_within_the_interval(start: Start, clock: FakeClock) -> None:
    lotse = await start(rooms=[ROOM], notice_interval_minutes=30)
    await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    await run_jobs(lotse, clock)
    await delivered(lotse)
    clock.advance(minutes=10)
    await say(lotse, ANNA, "Wie beantrage ich Geld für Lastenräder?")
    await run_jobs(lotse, clock)
    assert await delivered(lotse) == []
    clock.advance(minutes=21)
    await run_jobs(lotse, clock)
    await run_jobs(lotse, clock)
    [(_, notice)] = await delivered(lotse)
    assert "Lastenräder" in notice.text and "Verein" not in notice.text


async def test_a_review_date_that_has_come_reminds_the_moderators_once(start: Start, clock: FakeClock) -> None:
    lotse = await start(rooms=[ROOM])
    await say(lotse, MONA, "/faq edit zwei-faktor review_by 2026-11-30")
    await run_jobs(lotse, clock)
    assert await delivered(lotse) == []
    clock.advance(days=7)
    await run_jobs(lotse, clock)
    await run_jobs(lotse, clock)
    [(room, reminder)] = await delivered(lotse)
    assert room == ROOM and "`zwei-faktor`" in reminder.text and "2026-11-30" in reminder.text


async def test_without_rooms_each_moderator_is_reminded_directly(curated: Lotse, clock: FakeClock) -> None:
    await say(curated, MONA, "/faq edit zwei-faktor review_by 2026-11-23")
    await run_jobs(curated, clock)
    assert sorted(recipient for recipient, _ in await delivered(curated)) == [
        "console:admin", "console:mona", "console:otto"]
