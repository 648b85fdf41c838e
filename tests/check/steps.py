"""Steps the check's specifications share: talking to Lotse and answering the check by tapping."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.composition import Lotse
from bot.messages import PersonId, Reply
from tests.support.core import message_from, unbound

ANNA = "telegram:2001"
BERND = "matrix:@bernd:example.org"
CONSOLE = "console:clara"

Answer = Callable[[str, int], tuple[str, int]]
"""From a statement key (`security/backup`) and its number, the state (n, p, y, u, k) and importance (1–3)."""


async def say(lotse: Lotse, person: str, text: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, text, language_hint=language))


async def tap(lotse: Lotse, person: str, action: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, action=action, language_hint=language))


def choice(replies: Sequence[Reply], ending: str) -> str:
    """The offered action (bound, as offered) whose unbound form ends with `ending`."""
    for reply in replies:
        for offered in reply.choices:
            if unbound(offered.action).endswith(ending):
                return offered.action
    raise AssertionError(f"no choice ending in {ending!r} in {[r.text[:60] for r in replies]}")


def text_of(replies: Sequence[Reply]) -> str:
    return "\n\n".join(reply.text for reply in replies)


async def begin(lotse: Lotse, person: str, org: str = "municipality", region: str = "Sachsen",
                systems: str = "1, 4, Zeiterfassung", language: str = "de") -> Sequence[Reply]:
    """`/check` up to the first statement."""
    replies = await say(lotse, person, "/check", language)
    replies = await tap(lotse, person, choice(replies, f":o:{org}"), language)
    replies = await say(lotse, person, region, language)
    return await say(lotse, person, systems, language)


def weak_security(key: str, number: int) -> tuple[str, int]:
    """Everything in place except IT security and data protection, which matters a lot."""
    return ("n", 3) if key.startswith("security/") else ("y", 0)


async def answer_statements(lotse: Lotse, person: str, replies: Sequence[Reply], answer: Answer = weak_security,
                            language: str = "de", limit: int = 1000) -> Sequence[Reply]:
    """Tap through the statements from the prompt in `replies`, `limit` of them at most."""
    check = await lotse.check.store.of(PersonId(person))
    assert check is not None
    catalogue = await lotse.check.catalogues.version(check.catalogue_version)
    keys = [f"{d.id}/{s.id}" for d, s in catalogue.statements()]
    answered = 0
    while answered < limit:
        actions = [unbound(c.action) for r in replies for c in r.choices]
        statement = next((a for a in actions if a.startswith("check:a:")), None)
        if statement is None:
            return replies
        number = int(statement.split(":")[2])
        state, importance = answer(keys[number], number)
        replies = await tap(lotse, person, choice(replies, f":a:{number}:{state}"), language)
        if any(unbound(c.action).startswith(f"check:i:{number}:") for r in replies for c in r.choices):
            replies = await tap(lotse, person, choice(replies, f":i:{number}:{importance}"), language)
        answered += 1
    return replies
