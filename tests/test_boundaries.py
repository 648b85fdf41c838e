"""The dependency rules of DESIGN.md ("Which way dependencies point"), checked on every import.

Walks the imports of every module in `bot/` and `knowledge/` with `ast` (lazy imports inside
functions included) and fails with the module, line and rule broken. The second half feeds the
checker synthetic modules that break each rule, so a checker that stopped seeing them fails too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from bot.storage.base import Base

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("bot", "knowledge")
COMPOSITION_ROOT = frozenset({"bot.composition"})
"""The only modules that may import `adapters`: they know which adapters exist."""
PLATFORM_LIBRARIES = ("telegram", "nio", "mautrix", "aiohttp.web")
"""Libraries of one chat platform (or its web server); the digest's feed reader may use aiohttp's client."""
FEATURE_PARTS = {"faq_index": "faq", "faq_log": "faq"}
"""Modules of `bot/features/` that belong to a feature named differently: the FAQ spans three."""
TEXT_LIKENESS = ("rapidfuzz",)
"""Comparing texts is the knowledge engine's (`knowledge.likeness`, the matcher, `FaqIndex`):
one mechanism, so a feature does not grow its own."""
OUTBOX = "bot.outbox"
"""Everything Lotse sends on its own goes in through `enqueue` or `enqueue_many`, never as rows."""
AGGREGATED_TABLES = "bot.storage.tables"
PLATFORM_FACT = re.compile(r"t\.me/|matrix\.to|(?<![\w ])(telegram|matrix)\b", re.IGNORECASE)
"""A platform named as code uses it: an id prefix (`"telegram:"`, `^(telegram|matrix):`), a link
format, a name compared with; not an example in a sentence ("an id such as telegram:123")."""
KNOWS_PLATFORMS = frozenset({"bot.composition", "bot.config", "bot.cli", "bot.doctor"})
"""The composition root and the configuration it reads (one section per platform), the entry
point and its checks: the modules that may name platforms."""
"""Imports every feature's tables for Alembic; a feature importing it would bypass the services."""


@dataclass(frozen=True)
class Imported:
    """One name an import statement brings in: from module `source`, optionally attribute `name`."""

    source: str
    name: str | None
    line: int


def imports_of(module: str, source: str, is_package: bool = False) -> list[Imported]:
    """Every import in `source` (the text of `module`), relative ones resolved."""
    found: list[Imported] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level, is_package)
            found += [Imported(base, alias.name, node.lineno) for alias in node.names]
    return found


def _absolute(module: str, target: str | None, level: int, is_package: bool) -> str:
    if level == 0:
        return target or ""
    parts = module.split(".")
    package = parts if is_package else parts[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def feature_of(module: str) -> str | None:
    """The feature a module of `bot/features/` belongs to, None outside features."""
    parts = module.split(".")
    if len(parts) < 3 or parts[:2] != ["bot", "features"]:
        return None
    return FEATURE_PARTS.get(parts[2], parts[2])


def _holds_tables(value: object) -> bool:
    """A mapped class, or a module defining one: what a feature keeps to itself."""
    if inspect.isclass(value):
        return issubclass(value, Base) and hasattr(value, "__table__")
    if isinstance(value, ModuleType):
        return any(_holds_tables(member) and getattr(member, "__module__", None) == value.__name__
                   for member in vars(value).values() if inspect.isclass(member))
    return False


def _resolved(imported: Imported) -> object:
    module = importlib.import_module(imported.source)
    if imported.name is None:
        return module
    if hasattr(module, imported.name):
        return getattr(module, imported.name)
    return importlib.import_module(f"{imported.source}.{imported.name}")


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """What in `source` breaks the design's dependency rules, one line per broken rule."""
    broken: list[str] = []
    feature = feature_of(module)
    for imported in imports_of(module, source, is_package):
        target = imported.source if imported.name is None else f"{imported.source}.{imported.name}"
        where = f"{module}:{imported.line} imports {target}"
        if any(_within(target, library) or _within(imported.source, library) for library in PLATFORM_LIBRARIES):
            broken.append(f"{where}: the core and knowledge/ speak no platform's library")
        if _within(imported.source, "adapters") and module not in COMPOSITION_ROOT:
            broken.append(f"{where}: only the composition root knows the adapters")
        if _within(module, "knowledge") and _within(imported.source, "bot"):
            broken.append(f"{where}: knowledge/ is usable without the bot")
        if _within(module, "bot") and any(_within(imported.source, library) for library in TEXT_LIKENESS):
            broken.append(f"{where}: texts are compared by knowledge/, not by each feature")
        if imported.source == OUTBOX and imported.name == "OutboxRow" and module != OUTBOX:
            broken.append(f"{where}: the outbox has one way in, `enqueue`")
        if feature is not None:
            broken += _feature_violations(feature, imported, where)
    return broken


def _feature_violations(feature: str, imported: Imported, where: str) -> list[str]:
    if _within(imported.source, AGGREGATED_TABLES):
        return [f"{where}: a feature takes other features' services, not the table registry"]
    other = feature_of(imported.source if imported.name is None else f"{imported.source}.{imported.name}")
    if other == feature or not _within(imported.source, "bot") or imported.source == OUTBOX:
        return []
    if _holds_tables(_resolved(imported)):
        owner = f"feature {other}" if other is not None else "the core"
        return [f"{where}: the tables of {owner} are its own; use its service"]
    return []


def _modules() -> list[tuple[str, Path]]:
    found = []
    for package in CHECKED:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue
            found.append((".".join(parts), path))
    return found


def _name(module: str) -> str:
    return module.removesuffix(".__init__")


def test_every_module_keeps_to_the_dependency_rules() -> None:
    modules = _modules()
    assert len(modules) > 100, "the walk found too few modules to mean anything"
    broken = [line for module, path in modules
              for line in violations(_name(module), path.read_text(encoding="utf-8"), module.endswith("__init__"))]
    assert broken == []


@pytest.mark.parametrize(("module", "source", "rule"), [
    ("bot.router", "import telegram\n", "no platform's library"),
    ("bot.features.faq", "from nio import AsyncClient\n", "no platform's library"),
    ("bot.features.web_signin", "from aiohttp import web\n", "no platform's library"),
    ("knowledge.index", "from telegram.constants import MessageLimit\n", "no platform's library"),
    ("bot.features.digest.composing", "from adapters.telegram.capabilities import CAPABILITIES\n",
     "only the composition root"),
    ("bot.cli", "def main() -> None:\n    from adapters.console import ConsolePlatform\n", "only the composition root"),
    ("knowledge.matcher", "from bot.features.faq import Faq\n", "usable without the bot"),
    ("bot.features.matching.feature", "from bot.features.faq import QuestionRow\n", "tables of feature faq"),
    ("bot.features.curation.stats", "from bot.features.digest import tables\n", "tables of feature digest"),
    ("bot.features.curation.stats", "import bot.features.digest.tables\n", "tables of feature digest"),
    ("bot.features.digest.delivery", "from ..matching.tables import ProfileRow\n", "tables of feature matching"),
    ("bot.features.kompass.feature", "from bot.storage.tables import metadata\n", "not the table registry"),
    ("bot.features.digest.delivery", "from bot.knowledge_base import EntryRow\n", "tables of the core"),
    ("bot.features.digest.delivery", "from bot.outbox import OutboxRow, enqueue\n", "one way in"),
    ("bot.features.matching.challenges", "from rapidfuzz import fuzz\n", "compared by knowledge/"),
])
def test_a_module_breaking_a_rule_is_caught(module: str, source: str, rule: str) -> None:
    [broken] = violations(module, source)
    assert rule in broken
    assert broken.startswith(f"{module}:")


def test_what_the_rules_allow_passes() -> None:
    allowed = (
        "from bot.features.faq_log import QuestionLog\n"
        "from bot.features.faq import Unanswered\n"
        "from bot.features.curation.tables import QueueGroupRow\n"
        "from bot.outbox import enqueue\n"
        "from bot.knowledge_base import KnowledgeBase\n"
        "from bot.storage.base import Base\n"
        "from knowledge.entry import Entry\n"
        "import aiohttp\n"
    )
    assert violations("bot.features.curation.queue", allowed) == []
    assert violations("bot.composition", "from adapters.console import ConsolePlatform\n") == []


def platform_facts(module: str, source: str) -> list[str]:
    """String literals in code (not docstrings, not phrases shown to people) naming a platform."""
    if module in KNOWS_PLATFORMS or module.rsplit(".", 1)[-1] == "phrases":
        return []
    tree = ast.parse(source)
    documentation = {id(node.value) for node in ast.walk(tree)
                     if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [f"{module}:{node.lineno} names a platform: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in documentation
            and PLATFORM_FACT.search(node.value)]


def test_the_core_learns_platform_facts_from_the_adapters() -> None:
    """Message lengths, link formats and id prefixes come from `Capabilities` and `Platforms`."""
    facts = [line for module, path in _modules() if module.startswith("bot.")
             for line in platform_facts(_name(module), path.read_text(encoding="utf-8"))]
    assert facts == []


def test_a_platform_named_in_the_core_is_caught() -> None:
    source = (
        '"""Talks of Telegram in its documentation, which is fine."""\n'
        'PERSON = re.compile(r"^(telegram|matrix|console):\\S+$")\n'
        'LINK = "https://t.me/{local}"\n'
    )
    found = platform_facts("bot.features.kompass.files", source)
    assert sorted(line.split(":")[1].split()[0] for line in found) == ["2", "3"]
    assert platform_facts("bot.features.kompass.files", 'ERROR = "an id such as telegram:123"\n') == []
