"""The router's promises at start: every command has exactly one owner."""

from collections.abc import Sequence

import pytest

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import Command, Reply
from bot.router import DuplicateCommand, Router
from bot.turn import Route, Turn
from tests.support.core import message_from


class Offering:
    """A feature that offers one command and nothing else."""

    def __init__(self, name: str, command: str) -> None:
        self.name = name
        self._command = command

    def routes(self) -> Sequence[Route]:
        return [Route(Command(self._command), self._run)]

    async def _run(self, turn: Turn, rest: str) -> Sequence[Reply]:
        return [Reply(self.name)]


async def test_two_features_offering_the_same_command_are_refused_at_start(lotse: Lotse) -> None:
    with pytest.raises(DuplicateCommand, match="/digest is offered by both first and second"):
        Router(lotse.members, lotse.dialogues, [Offering("first", "digest"), Offering("second", "digest")],
               lotse.platforms, bindings=ActionBindings(lotse.pseudonyms))


async def test_a_feature_without_free_text_or_actions_still_serves_its_command(lotse: Lotse) -> None:
    router = Router(lotse.members, lotse.dialogues, [Offering("only", "ping")], lotse.platforms,
                    bindings=ActionBindings(lotse.pseudonyms))
    [reply] = await router.handle(message_from(text="/ping"))
    assert reply.text == "only"
    assert await router.handle(message_from(text="just text")) == []
    [expired] = await router.handle(message_from(action="only:x"))
    assert expired.text == (await router.handle(message_from(action="nobody:x")))[0].text
