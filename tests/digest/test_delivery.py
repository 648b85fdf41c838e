"""Digests are composed once per audience and period and delivered through the outbox."""

import asyncio
from datetime import UTC, datetime, timedelta

from bot.composition import Lotse, assemble
from bot.features.digest.events import EventDraft
from bot.features.digest.resources import ResourceDraft
from bot.messages import PersonId
from bot.outbox import OutboxWorker
from tests.digest.conftest import MODERATOR, ROOM, settings_for
from tests.matching.steps import fill_in_profile
from tests.support.core import FakeClock
from tests.support.database import postgres_database
from tests.support.recording import RecordingPlatform

MONDAY_NINE = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def add_resource(lotse: Lotse, title: str = "Leitfaden barrierefreie PDFs", *tags: str) -> None:
    await lotse.digest.resources.add(ResourceDraft(title, "https://example.org/pdf", "Schritt für Schritt.",
                                                   tags or ("barrierefreiheit",)), MODERATOR)


async def deliver(lotse: Lotse, platform: RecordingPlatform | None = None) -> RecordingPlatform:
    platform = platform or RecordingPlatform()
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    return platform


async def test_the_room_gets_the_digest_at_nine_on_monday_and_not_before(digest_lotse: Lotse,
                                                                        clock: FakeClock) -> None:
    clock.now = MONDAY_NINE - timedelta(weeks=1)
    assert await digest_lotse.digest.job.compose_due(clock.now) == 0  # last week's, empty
    clock.now = MONDAY_NINE - timedelta(days=3)
    await add_resource(digest_lotse)
    clock.now = MONDAY_NINE - timedelta(minutes=1)
    assert await digest_lotse.digest.job.compose_due(clock.now) == 0
    clock.now = MONDAY_NINE
    assert await digest_lotse.digest.job.compose_due(clock.now) == 1
    sent = (await deliver(digest_lotse)).sent
    assert [to for to, _ in sent] == [ROOM]
    assert "Leitfaden barrierefreie PDFs" in sent[0][1].text
    assert "KW 48/2026" in sent[0][1].text


async def test_a_digest_is_composed_only_once_per_period(digest_lotse: Lotse, clock: FakeClock) -> None:
    await add_resource(digest_lotse)
    clock.now = MONDAY_NINE
    for _ in range(3):
        await digest_lotse.digest.job.run_due(clock.now)
        clock.advance(minutes=30)
    assert len((await deliver(digest_lotse)).sent) == 1


async def test_a_bot_that_was_down_at_nine_catches_up_while_the_week_is_current(digest_lotse: Lotse,
                                                                              clock: FakeClock) -> None:
    await add_resource(digest_lotse)
    clock.now = MONDAY_NINE + timedelta(days=2, hours=5)
    assert await digest_lotse.digest.job.compose_due(clock.now) == 1
    assert len((await deliver(digest_lotse)).sent) == 1


async def test_the_next_digest_has_only_what_is_new_since_the_last(digest_lotse: Lotse, clock: FakeClock) -> None:
    await add_resource(digest_lotse, "Alter Leitfaden")
    clock.now = MONDAY_NINE
    await digest_lotse.digest.job.compose_due(clock.now)
    clock.advance(days=3)
    await add_resource(digest_lotse, "Neuer Bericht")
    clock.now = MONDAY_NINE + timedelta(weeks=1)
    await digest_lotse.digest.job.compose_due(clock.now)
    first, second = [reply.text for _, reply in (await deliver(digest_lotse)).sent]
    assert "Alter Leitfaden" in first
    assert "Neuer Bericht" in second and "Alter Leitfaden" not in second


async def test_an_empty_digest_is_not_sent(digest_lotse: Lotse, clock: FakeClock) -> None:
    clock.now = MONDAY_NINE
    assert await digest_lotse.digest.job.compose_due(clock.now) == 0
    assert await digest_lotse.outbox.pending() == 0


async def test_an_empty_digest_is_sent_when_configured(database_url: str, clock: FakeClock) -> None:
    lotse = await assemble(settings_for(database_url, send_empty=True), clock=clock)  # type: ignore[arg-type]
    try:
        clock.now = MONDAY_NINE
        assert await lotse.digest.job.compose_due(clock.now) == 1
        assert "Diesmal gibt es nichts Neues." in (await deliver(lotse)).sent[0][1].text
    finally:
        await lotse.close()


async def test_a_restart_in_the_middle_of_delivery_sends_the_rest_once(database_url: str, clock: FakeClock) -> None:
    first = await assemble(settings_for(database_url), clock=clock)  # type: ignore[arg-type]
    for number in range(5):
        await first.digest.subscriptions.save(PersonId(f"console:m{number}"), "weekly", (), "de")
    await add_resource(first)
    clock.now = MONDAY_NINE
    await first.digest.job.compose_due(clock.now)
    claimed = await first.outbox.claim({"console"}, limit=3)
    for delivery in claimed[:2]:
        await first.outbox.sent(delivery)
    await first.close()  # crashed with one delivery claimed but not sent

    clock.advance(minutes=6)
    second = await assemble(settings_for(database_url), clock=clock)  # type: ignore[arg-type]
    try:
        await second.digest.job.run_due(clock.now)
        sent = (await deliver(second)).sent
        assert len(sent) == 4
        assert len({to for to, _ in sent}) == 4
    finally:
        await second.close()


async def test_two_instances_on_postgresql_never_send_one_digest_twice(clock: FakeClock) -> None:
    async with postgres_database() as url:
        first = await assemble(settings_for(url), clock=clock)  # type: ignore[arg-type]
        second = await assemble(settings_for(url), clock=clock)  # type: ignore[arg-type]
        try:
            for number in range(20):
                await first.digest.subscriptions.save(PersonId(f"console:m{number}"), "weekly", (), "de")
            await add_resource(first)
            clock.now = MONDAY_NINE
            outcomes = await asyncio.gather(*(lotse.digest.job.run_due(clock.now) for lotse in (first, second, first)),
                                            return_exceptions=True)
            assert outcomes == [None, None, None], "racing instances leave the digests to each other, not fail"
            platform = RecordingPlatform()
            await asyncio.gather(deliver(first, platform), deliver(second, platform))
            recipients = [to for to, _ in platform.sent]
            assert len(recipients) == 21
            assert len(set(recipients)) == 21
        finally:
            await first.close()
            await second.close()


async def test_members_get_only_their_tags_and_in_their_language(digest_lotse: Lotse, clock: FakeClock) -> None:
    await digest_lotse.digest.subscriptions.save(PersonId("console:anna"), "weekly", ("it-sicherheit",), "en")
    await add_resource(digest_lotse, "Passwortmanager im Vergleich", "it-sicherheit")
    await add_resource(digest_lotse, "PDF-Leitfaden", "barrierefreiheit")
    clock.now = MONDAY_NINE
    await digest_lotse.digest.job.compose_due(clock.now)
    sent = dict((await deliver(digest_lotse)).sent)
    assert "Passwortmanager" in sent["console:anna"].text and "PDF" not in sent["console:anna"].text
    assert sent["console:anna"].text.startswith("**Lotse digest**")
    assert "PDF-Leitfaden" in sent[ROOM].text


async def test_a_member_who_subscribes_mid_week_starts_with_the_next_week(digest_lotse: Lotse,
                                                                         clock: FakeClock) -> None:
    await add_resource(digest_lotse)
    clock.now = MONDAY_NINE + timedelta(days=2)
    await digest_lotse.digest.subscriptions.save(PersonId("console:anna"), "weekly", (), "de")
    await digest_lotse.digest.job.compose_due(clock.now)
    assert [to for to, _ in (await deliver(digest_lotse)).sent] == [ROOM]


async def test_upcoming_events_and_new_answers_are_in_the_digest(digest_lotse: Lotse, clock: FakeClock) -> None:
    await digest_lotse.digest.events.add(EventDraft("Runder Tisch E-Akte", MONDAY_NINE + timedelta(days=10)),
                                         MODERATOR)
    await digest_lotse.digest.events.add(EventDraft("Zu spät", MONDAY_NINE + timedelta(weeks=6)), MODERATOR)
    clock.now = MONDAY_NINE
    await digest_lotse.digest.job.compose_due(clock.now)
    text = (await deliver(digest_lotse)).sent[0][1].text
    assert "Runder Tisch E-Akte" in text and "Zu spät" not in text


async def test_a_withdrawn_resource_is_corrected_in_the_rooms_that_had_it(digest_lotse: Lotse,
                                                                        clock: FakeClock) -> None:
    await add_resource(digest_lotse, "Veralteter Leitfaden")
    clock.now = MONDAY_NINE
    await digest_lotse.digest.job.compose_due(clock.now)
    await deliver(digest_lotse)
    await digest_lotse.digest.resources.withdraw(1, MODERATOR)
    await digest_lotse.digest.resources.withdraw(1, MODERATOR)
    sent = (await deliver(digest_lotse)).sent
    assert sent == [(ROOM, sent[0][1])]
    assert "„Veralteter Leitfaden“ aus einem früheren Digest wurde zurückgezogen" in sent[0][1].text
    records = await digest_lotse.audit_log.records("resource:1")
    assert [r.action for r in records] == ["resource.withdraw", "resource.add"]


async def test_a_member_who_opted_in_is_reminded_the_day_before_an_event(digest_lotse: Lotse,
                                                                        clock: FakeClock) -> None:
    await digest_lotse.digest.subscriptions.save(PersonId("console:anna"), "off", ("e-akte",), "de", reminders=True)
    await digest_lotse.digest.events.add(EventDraft("Runder Tisch", datetime(2026, 11, 24, 17, 0, tzinfo=UTC),
                                                    tags=("e-akte",)), MODERATOR)
    await digest_lotse.digest.events.add(EventDraft("Anderes Thema", datetime(2026, 11, 24, 17, 0, tzinfo=UTC),
                                                    tags=("ki",)), MODERATOR)
    clock.now = MONDAY_NINE
    assert await digest_lotse.digest.reminders.remind(clock.now) == 1
    assert await digest_lotse.digest.reminders.remind(clock.now + timedelta(hours=1)) == 0
    sent = (await deliver(digest_lotse)).sent
    assert sent[0][0] == "console:anna" and "Runder Tisch" in sent[0][1].text


async def test_a_preview_shows_the_next_digest_without_queueing_it(digest_lotse: Lotse, clock: FakeClock) -> None:
    await add_resource(digest_lotse)
    clock.now = MONDAY_NINE
    text = await digest_lotse.digest.job.preview(f"room:{ROOM}", clock.now)
    assert text is not None and "Leitfaden barrierefreie PDFs" in text
    assert await digest_lotse.outbox.pending() == 0
    assert await digest_lotse.digest.job.preview("member:console:nobody", clock.now) is None


async def test_a_members_profile_challenges_come_first_in_their_digest(digest_lotse: Lotse, clock: FakeClock) -> None:
    await fill_in_profile(digest_lotse, "console:anna", challenges="Barrierefreiheit")
    await digest_lotse.digest.subscriptions.save(PersonId("console:anna"), "weekly", (), "de")
    clock.advance(days=1)
    await add_resource(digest_lotse, "Passwortmanager im Vergleich", "it-sicherheit")
    await add_resource(digest_lotse, "PDF-Leitfaden", "barrierefreiheit")
    clock.now = MONDAY_NINE + timedelta(days=7)
    await digest_lotse.digest.job.compose_due(clock.now)
    text = dict((await deliver(digest_lotse)).sent)["console:anna"].text
    assert text.index("**Zu Ihren Themen**") < text.index("PDF-Leitfaden") < text.index("Passwortmanager")
