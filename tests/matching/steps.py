"""Steps the matching specifications share: talking to Lotse, filling in a profile, delivering the outbox."""

from __future__ import annotations

from collections.abc import Sequence

from bot.composition import Lotse
from bot.messages import Reply
from bot.outbox import OutboxWorker
from tests.support.core import message_from
from tests.support.recording import RecordingPlatform

ANNA = "telegram:1001"
BERND = "matrix:@bernd:example.org"
CLARA = "telegram:1003"


async def say(lotse: Lotse, person: str, text: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, text, language_hint=language))


async def tap(lotse: Lotse, person: str, action: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, action=action, language_hint=language))


async def fill_in_profile(
    lotse: Lotse, person: str, challenges: str = "1, 3", offers: str = "-", org: str = "1",
    region: str = "Berlin", consent: str = "1", language: str = "de",
) -> Sequence[Reply]:
    """Answer every step of `/profile` by typing, as on Matrix or the console."""
    replies: Sequence[Reply] = await say(lotse, person, "/profile", language)
    for answer in (org, region, challenges, offers, "3", consent):
        replies = await say(lotse, person, answer, language)
    return replies


async def run_matching_job(lotse: Lotse) -> None:
    """What the scheduler does on a tick: the matching job's `run_due` at the current time."""
    [job] = [job for job in lotse.jobs if job.name == "matching"]
    await job.run_due(lotse.clock())


class Inboxes:
    """Recording platforms for Telegram, Matrix and the console, and what each person received."""

    def __init__(self, lotse: Lotse) -> None:
        self.platforms = {name: RecordingPlatform(name) for name in ("telegram", "matrix", "console")}
        self._worker = OutboxWorker(lotse.outbox, self.platforms)

    async def deliver(self) -> int:
        return await self._worker.deliver_due()

    def of(self, person: str) -> list[Reply]:
        return [reply for platform in self.platforms.values() for to, reply in platform.sent if to == person]

    def all(self) -> list[tuple[str, Reply]]:
        return [sent for platform in self.platforms.values() for sent in platform.sent]


def action_of(reply: Reply, index: int = 0) -> str:
    return reply.choices[index].action
