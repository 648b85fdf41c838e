"""The router's promises at start: every command has exactly one owner."""

import ast
from collections.abc import Sequence
from pathlib import Path

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


HOOKS = ("on_text", "on_action", "on_dialogue")
FEATURES = Path(__file__).resolve().parents[2] / "bot" / "features"


def empty_hooks(source: str) -> list[str]:
    """The router's optional hooks a module defines only to do nothing (`return None`, `[]`, `pass`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name in HOOKS:
            body = [statement for statement in node.body
                    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
            if all(_does_nothing(statement) for statement in body):
                found.append(f"{node.name} at line {node.lineno}")
    return found


def _does_nothing(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Return):
        value = statement.value
        return (value is None or (isinstance(value, ast.Constant) and value.value is None)
                or (isinstance(value, ast.List | ast.Tuple) and not value.elts))
    return False


def test_no_feature_implements_a_hook_only_to_do_nothing() -> None:
    """The hooks are optional (`TakesText`, `TakesActions`, `GuidesDialogues`): a feature that has
    nothing to say to free text simply does not implement `on_text`."""
    modules = sorted(FEATURES.rglob("*.py"))
    assert modules
    empty = {str(path.relative_to(FEATURES)): hooks for path in modules
             if (hooks := empty_hooks(path.read_text(encoding="utf-8")))}
    assert empty == {}


def test_an_empty_hook_is_found() -> None:
    source = (
        "class Quiet:\n"
        "    async def on_text(self, turn):\n"
        "        \"\"\"Nothing to say.\"\"\"\n"
        "        return None\n"
        "    async def on_dialogue(self, turn, dialogue):\n"
        "        return []\n"
        "    async def on_action(self, turn, action):\n"
        "        return turn.reply('choice-expired')\n"
    )
    assert empty_hooks(source) == ["on_text at line 2", "on_dialogue at line 5"]
