"""Warm referrals: a request reaches the provider's contact on Lotse; handles only after the contact's yes."""

from pathlib import Path

from adapters.rendering import markdown_to_html
from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.features.kompass.directory import offer_token
from bot.messages import Choice, Reply
from tests.kompass.steps import MODERATOR, load, offer, provider, say, tap
from tests.matching.steps import Inboxes
from tests.support.core import FakeClock

ANNA = "telegram:1001"
CONTACT = "matrix:@beraterin:example.org"


async def directory(lotse: Lotse, folder: Path) -> None:
    await load(lotse, folder, {"providers/zentrum.md": provider("zentrum", contact_person=CONTACT, name="Zentrum"),
                               "offers/ki.md": offer("ki", "zentrum", topics="ai", title="KI-Sprechstunde")})


async def pass_on(lotse: Lotse, text: str = "Wir sind eine kleine Kommune und wollen KI im Bürgerbüro testen.") -> str:
    [shown] = await say(lotse, ANNA, "/kompass show ki")
    assert [choice.label for choice in shown.choices] == ["Anfrage weitergeben lassen", "Nachricht zum Selbstversenden"]
    [ask] = await tap(lotse, ANNA, shown.choices[0].action)
    assert "Ihren Namen und Kontakt gebe ich erst weiter" in ask.text
    [sent] = await say(lotse, ANNA, text)
    return sent.text


async def test_the_contact_reads_the_request_but_not_who_sent_it(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    inboxes = Inboxes(lotse)
    assert "an Zentrum weitergegeben" in await pass_on(lotse, "Bitte um *Hilfe* [hier](https://evil.example)")
    await inboxes.deliver()
    [request] = inboxes.of(CONTACT)
    assert "KI-Sprechstunde" in request.text and "Hilfe" in request.text
    assert "1001" not in request.text and "telegram" not in request.text
    assert "*Hilfe*" not in request.text, "the member's text is escaped"
    assert "<a " not in markdown_to_html(request.text), "nor does a link in it work"
    assert [choice.label for choice in request.choices] == ["Ja, gern", "Nein, diesmal nicht"]
    [status] = await say(lotse, ANNA, "/kompass referrals")
    assert "**gesendet**" in status.text


async def test_after_the_contacts_yes_both_get_each_others_handle(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    inboxes = Inboxes(lotse)
    await pass_on(lotse)
    await inboxes.deliver()
    [request] = inboxes.of(CONTACT)
    [thanks] = await tap(lotse, CONTACT, request.choices[0].action)
    assert thanks.text == "Danke, ich bringe Sie zusammen."
    await inboxes.deliver()
    [_, to_contact] = inboxes.of(CONTACT)
    [to_anna] = inboxes.of(ANNA)
    assert "Telegram: [tg://user?id=1001](tg://user?id=1001)" in to_contact.text
    assert "KI im Bürgerbüro" in to_contact.text
    assert "Matrix: [@beraterin:example.org](https://matrix.to/#/@beraterin:example.org)" in to_anna.text
    [status] = await say(lotse, ANNA, "/kompass referrals")
    assert "**angenommen**" in status.text
    number = status.text.split("#", 1)[1].split(" ", 1)[0]
    [done] = await say(lotse, ANNA, f"/kompass done {number}")
    assert "erledigt" in done.text
    [after] = await say(lotse, ANNA, "/kompass referrals")
    assert "**erledigt**" in after.text


async def test_a_no_reaches_the_member_as_a_neutral_note_with_the_public_contact(lotse: Lotse,
                                                                                 tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    inboxes = Inboxes(lotse)
    await pass_on(lotse)
    await inboxes.deliver()
    [request] = inboxes.of(CONTACT)
    await tap(lotse, CONTACT, request.choices[1].action)
    await inboxes.deliver()
    [note] = inboxes.of(ANNA)
    assert "diesmal nicht zustande gekommen" in note.text and "info@example.org" in note.text
    assert "beraterin" not in note.text
    [too_late] = await tap(lotse, CONTACT, request.choices[0].action)
    assert too_late.text == "Diese Anfrage ist nicht mehr offen."


async def test_an_unanswered_request_expires(lotse: Lotse, tmp_path: Path, clock: FakeClock) -> None:
    await directory(lotse, tmp_path)
    inboxes = Inboxes(lotse)
    await pass_on(lotse)
    clock.advance(days=8)
    [job] = [job for job in lotse.jobs if job.name == "kompass-referrals"]
    await job.run_due(clock.now)
    await inboxes.deliver()
    [note] = inboxes.of(ANNA)
    assert "nicht zustande gekommen" in note.text
    [request] = inboxes.of(CONTACT)
    [too_late] = await tap(lotse, CONTACT, request.choices[0].action)
    assert too_late.text == "Diese Anfrage ist nicht mehr offen."


async def test_a_second_request_to_the_same_offer_waits_for_the_first(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await pass_on(lotse)
    offered = ActionBindings(lotse.pseudonyms).bind(Reply("", (Choice("", f"kompass:r:{offer_token('ki')}"),)), ANNA)
    [again] = await tap(lotse, ANNA, offered.choices[0].action)
    assert "schon unterwegs" in again.text


async def test_a_ready_to_send_message_needs_no_contact_on_lotse(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/amt.md": provider("amt", name="Amt"),
                                 "offers/hilfe.md": offer("hilfe", "amt", title="Hilfe")})
    [shown] = await say(lotse, ANNA, "/kompass show hilfe")
    assert [choice.label for choice in shown.choices] == ["Nachricht zum Selbstversenden"]
    await tap(lotse, ANNA, shown.choices[0].action)
    [message] = await say(lotse, ANNA, "Wir suchen Fördermittel für Tablets im Verein.")
    assert "info@example.org" in message.text and "Wir suchen Fördermittel für Tablets im Verein." in message.text
    assert "„Hilfe“ (Amt)" in message.text
    [status] = await say(lotse, ANNA, "/kompass referrals")
    assert "**Nachricht vorbereitet**" in status.text


async def test_moderators_see_referrals_counted_never_named(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await pass_on(lotse)
    [stats] = await say(lotse, MODERATOR, "/stats")
    assert "Anfragen: 1 gesendet, 0 angenommen" in stats.text
    assert "1001" not in stats.text
