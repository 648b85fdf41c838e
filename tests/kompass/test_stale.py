"""Stale entries: marked in answers, reported to the moderators once per check date."""

from datetime import date
from pathlib import Path

from bot.composition import Lotse
from tests.kompass.steps import MODERATOR, MODERATOR_ROOM, delivered, load, offer, provider, say
from tests.support.core import FakeClock

OLD = date(2025, 10, 1)


async def stale_job(lotse: Lotse) -> None:
    [job] = [job for job in lotse.jobs if job.name == "kompass-stale"]
    await job.run_due(lotse.clock())


async def notices(lotse: Lotse) -> list[str]:
    return await delivered(lotse, MODERATOR_ROOM)


async def test_an_offer_checked_longer_ago_than_configured_is_marked(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/old.md": offer("old", "bund", checked=OLD),
                                 "offers/fresh.md": offer("fresh", "bund")})
    [reply] = await say(lotse, "console:anna", "/kompass Fördermittel")
    old_line, = (line for line in reply.text.splitlines() if "/kompass show old" in line)
    fresh_line, = (line for line in reply.text.splitlines() if "/kompass show fresh" in line)
    assert "⚠️ zuletzt geprüft am 01.10.2025, womöglich veraltet" in old_line
    assert "geprüft am 01.11.2026" in fresh_line and "⚠️" not in fresh_line
    assert reply.text.index("show fresh") < reply.text.index("show old"), "fresh before stale"


async def test_stale_entries_are_reported_to_the_moderators_room_once(lotse: Lotse, tmp_path: Path,
                                                                     clock: FakeClock) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund", checked=OLD),
                                 "offers/old.md": offer("old", "bund", checked=OLD)})
    await stale_job(lotse)
    [notice] = await notices(lotse)
    assert "2 Einträge" in notice and "`/offer show old`" in notice and "`/provider show bund`" in notice
    clock.advance(days=1)
    await stale_job(lotse)
    assert await notices(lotse) == []


async def test_a_new_check_starts_the_clock_again(lotse: Lotse, tmp_path: Path, clock: FakeClock) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/old.md": offer("old", "bund", checked=OLD)})
    await stale_job(lotse)
    assert len(await notices(lotse)) == 1
    [reply] = await say(lotse, MODERATOR, "/offer checked old")
    assert "geprüft am 23.11.2026" in reply.text
    [answer] = await say(lotse, "console:anna", "/kompass Fördermittel")
    assert "⚠️" not in answer.text
    clock.advance(days=400)
    await stale_job(lotse)
    [again] = await notices(lotse)
    assert "`/offer show old`" in again
