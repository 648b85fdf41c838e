"""A change made through Lotse is in the index before the moderator is told it is done (issue 14):
the next question is answered from it, without waiting for the periodic check."""

from bot.composition import Lotse
from tests.curation.conftest import ANNA, MONA, say, text_of


async def test_an_entry_added_in_one_message_is_answered_at_once(curated: Lotse) -> None:
    assert "Vereinsregister" not in await text_of(curated, ANNA, "Wie gründen wir einen Verein?")
    await say(curated, MONA, "/faq add Wie gründen wir einen Verein? | | Mit sieben Mitgliedern und einer "
                             "Satzung beim Vereinsregister. | verein | de")
    assert "Vereinsregister" in await text_of(curated, ANNA, "Wie gründen wir einen Verein?")


async def test_an_edited_answer_is_given_at_once(curated: Lotse) -> None:
    await text_of(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    await say(curated, MONA, "/faq edit zwei-faktor answer Nutzen Sie eine Authenticator-App mit QR-Code.")
    assert "mit QR-Code" in await text_of(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")


async def test_a_deleted_entry_stops_answering_at_once(curated: Lotse) -> None:
    assert "Authenticator" in await text_of(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    await say(curated, MONA, "/faq delete zwei-faktor")
    assert "Authenticator" not in await text_of(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")


async def test_an_alias_is_answered_at_once(curated: Lotse) -> None:
    assert "Authenticator" not in await text_of(curated, ANNA, "Handy als zweiter Schlüssel beim Login")
    await say(curated, MONA, "/faq alias zwei-faktor Handy als zweiter Schlüssel beim Login")
    said = await text_of(curated, ANNA, "Handy als zweiter Schlüssel beim Login")
    assert "Authenticator" in said


async def test_search_ranks_entries_as_questions_are_matched(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq search Zwei-Faktor einrichten")
    assert said.splitlines()[0].startswith("- `zwei-faktor`")
