"""Only moderators curate; only admins name moderators, never themselves. Refusals are polite."""

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.features.curation.phrases import PHRASES
from bot.messages import Choice, PersonId, Reply
from tests.curation.conftest import ADMIN, ANNA, MONA, text_of

REFUSAL = PHRASES.say("moderators-only", "de")


async def test_a_member_cannot_add_an_entry(curated: Lotse) -> None:
    assert await text_of(curated, ANNA, "/faq add Frage? | | Antwort") == REFUSAL
    assert await curated.knowledge_base.get("frage") is None


async def test_a_member_sees_neither_the_queue_nor_the_figures(curated: Lotse) -> None:
    assert await text_of(curated, ANNA, "/queue") == REFUSAL
    assert await text_of(curated, ANNA, "/stats") == REFUSAL


async def test_a_member_cannot_tap_a_curation_choice(curated: Lotse) -> None:
    offered = ActionBindings(curated.pseudonyms).bind(Reply("", (Choice("", "curation:save:publish"),)), ANNA)
    assert await text_of(curated, ANNA, action=offered.choices[0].action) == REFUSAL


async def test_a_moderator_cannot_grant_the_role(curated: Lotse) -> None:
    said = await text_of(curated, MONA, f"/mod grant {ANNA}")
    assert said == PHRASES.say("admins-only", "de")
    assert not await curated.roles.is_moderator(PersonId(ANNA))


async def test_an_admin_grants_the_role_in_chat_and_the_new_moderator_curates(curated: Lotse) -> None:
    assert await text_of(curated, ADMIN, f"/mod grant {ANNA}") == PHRASES.say("grant-done", "de", person=ANNA)
    said = await text_of(curated, ANNA, "/faq add Wie gründen wir einen Verein? | | Mit sieben Mitgliedern.")
    assert said == PHRASES.say("saved-published", "de", id="wie-gruenden-wir-einen-verein")


async def test_an_admin_revokes_the_role(curated: Lotse) -> None:
    await text_of(curated, ADMIN, f"/mod revoke {MONA}")
    assert await text_of(curated, MONA, "/queue") == REFUSAL


async def test_nobody_grants_a_role_to_themselves(curated: Lotse) -> None:
    assert await text_of(curated, ADMIN, f"/mod grant {ADMIN}") == PHRASES.say("not-yourself", "de")
