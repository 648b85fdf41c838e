"""Resources, events and subscriptions in chat: moderators curate, members list and subscribe."""

from bot.composition import Lotse
from tests.digest.conftest import MODERATOR
from tests.support.core import message_from


async def say(lotse: Lotse, text: str, person: str = MODERATOR) -> str:
    replies = await lotse.conversation.handle(message_from(person, text))
    return "\n".join(reply.text for reply in replies)


async def test_a_moderator_adds_a_resource_in_one_line(digest_lotse: Lotse) -> None:
    answer = await say(digest_lotse, "/resource add Leitfaden PDF | https://example.org/pdf | Kurz. | Barrierefreiheit")
    assert answer.startswith("Material Nr. 1 gespeichert")
    assert (await digest_lotse.digest.resources.get(1)).tags == ("barrierefreiheit",)  # type: ignore[union-attr]
    assert "Leitfaden PDF" in await say(digest_lotse, "/resources barrierefreiheit", "console:anna")


async def test_a_member_may_not_add_resources(digest_lotse: Lotse) -> None:
    answer = await say(digest_lotse, "/resource add X | https://example.org", "console:anna")
    assert "Moderationsteam" in answer
    assert await digest_lotse.digest.resources.count() == 0


async def test_a_moderator_adds_an_event_guided_with_german_dates(digest_lotse: Lotse) -> None:
    assert "Titel" in await say(digest_lotse, "/event add")
    assert "Wann beginnt" in await say(digest_lotse, "Runder Tisch E-Akte")
    assert "verstehe ich nicht" in await say(digest_lotse, "irgendwann")
    assert "Wann endet" in await say(digest_lotse, "morgen 10 Uhr")
    assert "Ende liegt vor dem Beginn" in await say(digest_lotse, "23.11.2026 9 Uhr")
    await say(digest_lotse, "morgen 12 Uhr")
    await say(digest_lotse, "Rathaus, Raum 3")
    await say(digest_lotse, "-")
    answer = await say(digest_lotse, "e-akte")
    assert "Termin Nr. 1 gespeichert: - **Mo., 23.11.2026, 10:00–12:00 Uhr** Runder Tisch E-Akte · Rathaus" in answer
    assert "Runder Tisch E-Akte" in await say(digest_lotse, "/events", "console:anna")
    [calendar] = await digest_lotse.conversation.handle(message_from("console:anna", "/event ics 1"))
    assert calendar.attachment is not None
    assert calendar.attachment.filename == "lotse-event-1.ics"
    assert calendar.attachment.media_type == "text/calendar"
    assert b"BEGIN:VEVENT" in calendar.attachment.data and b"SUMMARY:Runder Tisch E-Akte" in calendar.attachment.data


async def test_an_all_day_event_in_one_line(digest_lotse: Lotse) -> None:
    answer = await say(digest_lotse, "/event add Fachtag | 12.03.2027 | - | https://example.org/fachtag")
    assert "**Fr., 12.03.2027** Fachtag · [https://example.org/fachtag]" in answer


async def test_a_moderator_edits_and_withdraws_an_event(digest_lotse: Lotse) -> None:
    await say(digest_lotse, "/event add Fachtag | 12.03.2027 14:00")
    assert "16:00" in await say(digest_lotse, "/event edit 1 start 12.03.2027 16:00")
    assert "Zurückgezogen" in await say(digest_lotse, "/event withdraw 1")
    assert "Keine kommenden Termine" in await say(digest_lotse, "/events")
    actions = [r.action for r in await digest_lotse.audit_log.records("event:1")]
    assert actions == ["event.withdraw", "event.edit", "event.add"]


async def test_a_member_subscribes_with_tags_and_language_and_unsubscribes(digest_lotse: Lotse) -> None:
    answer = await say(digest_lotse, "/digest weekly IT-Sicherheit en", "console:anna")
    assert "wöchentlich; Themen: it-sicherheit; Sprache: en" in answer
    assert "Erinnerungen: an" in await say(digest_lotse, "/digest reminders on", "console:anna")
    assert "Your digest" not in await say(digest_lotse, "/digest off", "console:anna")
    data = await digest_lotse.digest.subscriptions.personal_data("console:anna")  # type: ignore[arg-type]
    assert data["frequency"] == "off" and data["reminders"] is True
    await digest_lotse.digest.subscriptions.forget("console:anna")  # type: ignore[arg-type]
    assert await digest_lotse.digest.subscriptions.personal_data("console:anna") == {}  # type: ignore[arg-type]


async def test_english_speakers_get_english_texts(digest_lotse: Lotse) -> None:
    await say(digest_lotse, "/lang en", "console:bob")
    assert "Resources and events are curated by the moderators" in await say(digest_lotse, "/resource add x",
                                                                             "console:bob")
