"""The funding radar: fitting calls in the digest, a reminder before each deadline, exactly once."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.composition import Lotse, assemble
from bot.messages import PersonId
from bot.outbox import OutboxRow
from tests.kompass.steps import MODERATOR, MODERATOR_ROOM, delivered, load, offer, provider, say
from tests.support.core import FakeClock, sample_settings

ANNA = "console:anna"
CALLS = {
    "providers/bund.md": provider("bund"),
    "providers/sachsen.md": provider("sachsen", area="14"),
    "offers/ai-call.md": offer("ai-call", "bund", topics="ai", kind="funding", deadlines="2027-04-05",
                               audiences="municipality", title="KI-Förderaufruf"),
    "offers/saxony-call.md": offer("saxony-call", "sachsen", topics="ai", kind="funding", deadlines="2027-04-05",
                                   title="Sachsen-Aufruf"),
    "offers/firms-call.md": offer("firms-call", "bund", topics="ai", kind="funding", deadlines="2027-04-05",
                                  audiences="company", title="Aufruf für Firmen"),
    "offers/security-call.md": offer("security-call", "bund", topics="it-security", kind="funding",
                                     deadlines="2027-04-05", title="Sicherheitsaufruf"),
}


async def reminders(lotse: Lotse) -> None:
    [job] = [job for job in lotse.jobs if job.name == "kompass-deadlines"]
    await job.run_due(lotse.clock())


async def delivered_to_anna(lotse: Lotse) -> list[str]:
    return await delivered(lotse, ANNA)


async def test_a_subscriber_gets_fitting_calls_in_the_digest(lotse: Lotse, tmp_path: Path, clock: FakeClock) -> None:
    await load(lotse, tmp_path, CALLS)
    [saved] = await say(lotse, ANNA, "/kompass radar KI | Hamburg | Kommune")
    assert "KI-Förderaufruf" in saved.text and "Sachsen-Aufruf" not in saved.text
    await lotse.digest.subscriptions.save(PersonId(ANNA), "weekly", (), "de")
    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    await lotse.digest.job.compose_due(clock.now)
    [digest] = await delivered_to_anna(lotse)
    assert "**Förderaufrufe für Sie**" in digest
    assert "KI-Förderaufruf" in digest
    for other in ("Sachsen-Aufruf", "Aufruf für Firmen", "Sicherheitsaufruf"):
        assert other not in digest
    assert digest.index("Förderaufrufe für Sie") < digest.index("Ändern oder abbestellen")


async def test_a_call_past_its_deadline_leaves_the_digest(lotse: Lotse, tmp_path: Path, clock: FakeClock) -> None:
    await load(lotse, tmp_path, CALLS)
    await say(lotse, ANNA, "/kompass radar KI | Leipzig")
    await lotse.digest.subscriptions.save(PersonId(ANNA), "weekly", (), "de")
    clock.now = datetime(2027, 4, 12, 8, 0, tzinfo=UTC)
    await lotse.digest.job.compose_due(clock.now)
    assert await delivered_to_anna(lotse) == [], "nothing new and no open call: no digest"


async def test_the_deadline_reminder_comes_once_across_restarts_and_the_change_to_summer_time(
        database_url: str, tmp_path: Path) -> None:
    # Deadline 5 April 2027, 14 days before: Monday 22 March at 09:00 Berlin (CET, 08:00 UTC).
    # Summer time starts on 28 March; a second call's reminder day, 12 April, is in CEST (07:00 UTC).
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    settings = sample_settings(database_url, admins=[MODERATOR], moderation={"rooms": [MODERATOR_ROOM]})
    lotse = await assemble(settings, clock=clock)
    await load(lotse, tmp_path, {**CALLS, "offers/late-call.md": offer("late-call", "bund", topics="ai",
                                                                      kind="funding", deadlines="2027-04-26")})
    await say(lotse, ANNA, "/kompass radar KI | Leipzig | Kommune")
    sent: list[str] = []
    for moment in (datetime(2027, 3, 22, 7, 59, tzinfo=UTC), datetime(2027, 3, 22, 8, 0, tzinfo=UTC),
                   datetime(2027, 3, 22, 8, 30, tzinfo=UTC), datetime(2027, 3, 28, 12, 0, tzinfo=UTC),
                   datetime(2027, 4, 12, 6, 59, tzinfo=UTC), datetime(2027, 4, 12, 7, 0, tzinfo=UTC),
                   datetime(2027, 4, 13, 7, 0, tzinfo=UTC)):
        clock.now = moment
        await reminders(lotse)
        await lotse.close()
        lotse = await assemble(settings, clock=clock)
        sent += [f"{moment:%m-%d %H:%M} {text}" for text in await delivered_to_anna(lotse)]
    await lotse.close()
    assert len(sent) == 3, sent
    first, second, third = sent
    assert first.startswith("03-22 08:00") and second.startswith("03-22 08:00"), "09:00 CET, once"
    assert ("KI-Förderaufruf" in first + second) and ("Sachsen-Aufruf" in first + second)
    assert third.startswith("04-12 07:00") and "Offer late-call" in third, "09:00 CEST, once"
    assert "In 14 Tagen, am 26.04.2027" in third


async def test_a_reminder_is_one_outbox_message_per_member_call_and_deadline(lotse: Lotse, tmp_path: Path,
                                                                            clock: FakeClock) -> None:
    await load(lotse, tmp_path, CALLS)
    await say(lotse, ANNA, "/kompass radar KI | Hamburg | Kommune")
    clock.now = datetime(2027, 3, 30, 10, 0, tzinfo=UTC)
    for _ in range(3):
        await reminders(lotse)
    async with lotse.database.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.key.startswith("kompass:deadline:")))
    assert count == 1
    [text] = await delivered_to_anna(lotse)
    assert "In 6 Tagen, am 05.04.2027" in text


async def test_radar_off_stops_reminders(lotse: Lotse, tmp_path: Path, clock: FakeClock) -> None:
    await load(lotse, tmp_path, CALLS)
    await say(lotse, ANNA, "/kompass radar KI")
    [off] = await say(lotse, ANNA, "/kompass radar off")
    assert "beendet" in off.text
    clock.now = datetime(2027, 3, 30, 10, 0, tzinfo=UTC)
    await reminders(lotse)
    assert await delivered_to_anna(lotse) == []
