"""`/faq show|edit|delete|restore|list|search|alias|history|revert`: every change is a version and audited."""

from bot.composition import Lotse
from bot.features.curation.phrases import PHRASES
from tests.curation.conftest import ANNA, MONA, OTTO, say, text_of
from tests.support.core import FakeClock


async def test_show_lists_every_field_and_the_ratings(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq show zwei-faktor")
    assert "**Wie richten wir Zwei-Faktor-Authentisierung ein?**" in said
    assert "- 2FA einführen" in said and "it-sicherheit" in said and "Version 1" in said and "👎 0" in said


async def test_an_edit_creates_a_new_version(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq edit zwei-faktor answer Nutzen Sie eine Authenticator-App.")
    assert said == PHRASES.say("edited", "de", id="zwei-faktor", version=2)
    versions = await curated.knowledge_base.versions("zwei-faktor")
    assert [(v.version, v.changed_by) for v in versions] == [(1, "test"), (2, MONA)]
    assert versions[1].entry.answer == "Nutzen Sie eine Authenticator-App."


async def test_a_deleted_entry_no_longer_answers_and_can_be_restored(curated: Lotse, clock: FakeClock) -> None:
    await say(curated, MONA, "/faq delete zwei-faktor")
    clock.advance(seconds=10)
    [answer] = await say(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    assert "Authenticator-App" not in answer.text
    assert await text_of(curated, MONA, "/faq restore zwei-faktor") == PHRASES.say("restored", "de", id="zwei-faktor")
    clock.advance(seconds=10)
    [answer] = await say(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    assert "Authenticator-App" in answer.text


async def test_list_shows_the_entries_of_a_tag(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq list foerderung")
    assert said.splitlines() == [
        "- `foerdermittel-hardware`: Wie beantragen wir Fördermittel für Hardware-Geräte?",
        "- `foerdermittel-software`: Wie beantragen wir Fördermittel für Software-Lizenzen?",
    ]


async def test_search_finds_entries_by_their_words(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq search Videokonferenz")
    assert "`video-conference`" in said


async def test_an_alias_makes_a_missed_question_answered(curated: Lotse, clock: FakeClock) -> None:
    missed = "Brauchen wir ein zweites Passwort-Verfahren?"
    await say(curated, ANNA, missed)
    await say(curated, MONA, f"/faq alias zwei-faktor {missed}")
    clock.advance(seconds=10)
    [answer] = await say(curated, ANNA, missed)
    assert "Authenticator-App" in answer.text


async def test_history_lists_the_versions_and_revert_restores_one(curated: Lotse) -> None:
    await say(curated, MONA, "/faq edit zwei-faktor answer Falsch.")
    history = await text_of(curated, OTTO, "/faq history zwei-faktor")
    assert "- v1 · 2026-11-23 09:00 · test · +" in history and f"- v2 · 2026-11-23 09:00 · {MONA} · answer" in history
    said = await text_of(curated, OTTO, "/faq revert zwei-faktor 1")
    assert said == PHRASES.say("reverted", "de", id="zwei-faktor", old="1", version=3)
    entry = await curated.knowledge_base.get("zwei-faktor")
    assert entry is not None and "Authenticator-App" in entry.answer


async def test_every_change_to_an_entry_is_in_the_audit_log(curated: Lotse) -> None:
    await say(curated, MONA, "/faq edit zwei-faktor tags sicherheit")
    await say(curated, MONA, "/faq delete zwei-faktor")
    await say(curated, OTTO, "/faq restore zwei-faktor")
    records = await curated.audit_log.records(subject="entry:zwei-faktor")
    assert [(r.actor, r.action) for r in records] == [
        (OTTO, "entry.restore"), (MONA, "entry.delete"), (MONA, "entry.edit"), ("test", "entry.create"),
    ]
    edit = records[2]
    assert (edit.before["tags"], edit.after["tags"]) == (["it-sicherheit"], ["sicherheit"])
