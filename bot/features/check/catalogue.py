"""The check's catalogue: dimensions with their statements, and the measures that close their gaps.

Moderators keep it as Markdown files with front matter in `knowledge/checks/de/` and `en/`, one file
per dimension and language, reviewed in git like the knowledge base. A catalogue is read whole or not
at all; its version is a digest of its content, so a check keeps answering the version it began with
while a newer one is imported (`CatalogueStore` keeps every version a check may still use).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.audit import record
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database
from knowledge.entry import LANGUAGES, Language
from knowledge.files import FENCE, ID_PATTERN, KnowledgeFileError, Problem, read_source, split_front_matter

ORG_TYPES = ("municipality", "culture", "social", "sme", "other")
SYSTEM_KINDS = ("existing", "neutral", "island")
"""Whether a measure builds on a system already in use, needs none, or creates a new digital island."""
LEVELS = (1, 2, 3)
"""Effort, benefit and fit: 1 low, 2 medium, 3 high."""
DIMENSION_KEYS = ("id", "title", "order", "topics", "statements", "measures")
MEASURE_KEYS = ("id", "title", "effort", "benefit", "fits", "system", "topics", "source")


@dataclass(frozen=True)
class Statement:
    """One statement a pilot rates as no / partly / yes / don't know."""

    id: str
    text: Mapping[Language, str]


@dataclass(frozen=True)
class CatalogueMeasure:
    """A measure the catalogue proposes for a dimension's gap."""

    id: str
    dimension: str
    title: Mapping[Language, str]
    effort: int
    benefit: int
    fits: tuple[str, ...]
    system: str
    topics: tuple[str, ...]
    source: Mapping[Language, str]

    def fit_for(self, org_type: str) -> int:
        """High where the catalogue says the measure suits this kind of organisation, else low."""
        return 3 if org_type in self.fits else 1


@dataclass(frozen=True)
class Dimension:
    id: str
    order: int
    title: Mapping[Language, str]
    topics: tuple[str, ...]
    statements: tuple[Statement, ...]
    measures: tuple[CatalogueMeasure, ...]


@dataclass(frozen=True)
class Catalogue:
    """One version of the catalogue, both languages together."""

    version: str
    dimensions: tuple[Dimension, ...]

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def statements(self) -> list[tuple[Dimension, Statement]]:
        """Every statement in the order the check asks them."""
        return [(dimension, statement) for dimension in self.dimensions for statement in dimension.statements]

    def measure(self, measure_id: str) -> CatalogueMeasure | None:
        return next((m for d in self.dimensions for m in d.measures if m.id == measure_id), None)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "dimensions": [_dimension_json(d) for d in self.dimensions]}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Catalogue:
        return Catalogue(str(data["version"]), tuple(
            Dimension(d["id"], d["order"], d["title"], tuple(d["topics"]),
                      tuple(Statement(s["id"], s["text"]) for s in d["statements"]),
                      tuple(CatalogueMeasure(m["id"], d["id"], m["title"], m["effort"], m["benefit"],
                                             tuple(m["fits"]), m["system"], tuple(m["topics"]), m["source"])
                            for m in d["measures"]))
            for d in data["dimensions"]))


def _dimension_json(dimension: Dimension) -> dict[str, Any]:
    return {
        "id": dimension.id, "order": dimension.order, "title": dict(dimension.title), "topics": list(dimension.topics),
        "statements": [{"id": s.id, "text": dict(s.text)} for s in dimension.statements],
        "measures": [{"id": m.id, "title": dict(m.title), "effort": m.effort, "benefit": m.benefit,
                      "fits": list(m.fits), "system": m.system, "topics": list(m.topics), "source": dict(m.source)}
                     for m in dimension.measures],
    }


class CatalogueError(KnowledgeFileError):
    """The catalogue's files could not be read; every problem is listed as `path:line: reason`."""


def starter_catalogue_folder() -> Path:
    """The catalogue shipped inside the package."""
    return Path(str(files("knowledge") / "checks"))


@dataclass(frozen=True)
class _Parsed:
    path: Path
    fields: dict[str, Any]
    lines: dict[str, int]
    item_lines: dict[tuple[str, int], int]
    """The file line of each statement and measure, by (key, index)."""


def read_catalogue(folder: Path) -> Catalogue:
    """Read `folder/de/*.md` and `folder/en/*.md`; raises `CatalogueError` listing every problem."""
    problems: list[Problem] = []
    parsed: dict[Language, dict[str, _Parsed]] = {}
    for language in LANGUAGES:
        parsed[language] = {}
        paths = sorted((folder / language).glob("*.md"))
        if not paths:
            problems.append(Problem(folder / language, 0, "no catalogue files (*.md) for this language"))
        for path in paths:
            try:
                one = _parse(path)
            except KnowledgeFileError as error:
                problems.extend(error.problems)
                continue
            file_problems = _check(one)
            problems.extend(file_problems)
            if file_problems:
                continue
            dimension_id = one.fields["id"]
            if dimension_id in parsed[language]:
                problems.append(Problem(path, one.lines["id"], f"dimension {dimension_id!r} is also defined in "
                                                                f"{parsed[language][dimension_id].path}"))
                continue
            parsed[language][dimension_id] = one
    if not problems:
        problems.extend(_check_languages(parsed["de"], parsed["en"]))
    if problems:
        raise CatalogueError(problems)
    return versioned(_dimension(parsed["de"][d], parsed["en"][d]) for d in parsed["de"])


def versioned(dimensions: Iterable[Dimension]) -> Catalogue:
    """A catalogue of these dimensions, in their order, whose version is the digest of its content."""
    ordered = tuple(sorted(dimensions, key=lambda d: (d.order, d.id)))
    content = json.dumps([_dimension_json(d) for d in ordered], sort_keys=True, ensure_ascii=False)
    return Catalogue(hashlib.sha256(content.encode()).hexdigest()[:12], ordered)


def with_measure(catalogue: Catalogue, measure: CatalogueMeasure) -> Catalogue:
    """The catalogue with `measure` changed, or added to its dimension when its id is new there."""
    dimensions = []
    for dimension in catalogue.dimensions:
        if dimension.id == measure.dimension:
            kept = [measure if m.id == measure.id else m for m in dimension.measures]
            if all(m.id != measure.id for m in dimension.measures):
                kept.append(measure)
            dimension = replace(dimension, measures=tuple(kept))
        dimensions.append(dimension)
    return versioned(dimensions)


def with_statement(catalogue: Catalogue, dimension_id: str, statement: Statement) -> Catalogue:
    """The catalogue with one statement's text changed (its id stays: answers are stored by it)."""
    return versioned(
        replace(d, statements=tuple(statement if d.id == dimension_id and s.id == statement.id else s
                                    for s in d.statements))
        for d in catalogue.dimensions)


def measure_problem(measure: CatalogueMeasure) -> str | None:
    """What is wrong with a measure by the rules its files follow, checked in both languages."""
    for language in LANGUAGES:
        reason = _measure_problem({
            "id": measure.id, "title": measure.title.get(language, ""), "effort": measure.effort,
            "benefit": measure.benefit, "fits": list(measure.fits), "system": measure.system,
            "topics": list(measure.topics), "source": measure.source.get(language, ""),
        })
        if reason:
            return reason
    return None


def _parse(path: Path) -> _Parsed:
    source = read_source(path)
    front = split_front_matter(source, path)
    item_lines: dict[tuple[str, int], int] = {}
    lines = source.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE)
    node = yaml.compose("\n".join(lines[1:closing]), Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in ("statements", "measures") and isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    item_lines[(str(key.value), index)] = item.start_mark.line + 2
    return _Parsed(path, front.fields, front.key_lines, item_lines)


def _check(one: _Parsed) -> list[Problem]:
    problems: list[Problem] = []
    fields = one.fields

    def problem(line: int, reason: str) -> None:
        problems.append(Problem(one.path, line, reason))

    for key in fields:
        if key not in DIMENSION_KEYS:
            problem(one.lines[key], f"unknown key {key!r} (known: {', '.join(DIMENSION_KEYS)})")
    for key in ("id", "title", "statements", "measures"):
        if key not in fields:
            problem(2, f"missing required key {key!r}")
    if problems:
        return problems
    if not (isinstance(fields["id"], str) and ID_PATTERN.match(fields["id"])):
        problem(one.lines["id"], "id must be lowercase letters, digits and hyphens")
    if not _text(fields["title"]):
        problem(one.lines["title"], "title must be a non-empty text")
    if not isinstance(fields.get("order", 0), int):
        problem(one.lines["order"], "order must be a whole number")
    if not _texts(fields.get("topics", [])):
        problem(one.lines.get("topics", 2), "topics must be a list of texts")
    statements = fields["statements"]
    if not isinstance(statements, list) or not 3 <= len(statements) <= 5:
        problem(one.lines["statements"], "statements must be a list of three to five statements")
    else:
        for index, statement in enumerate(statements):
            line = one.item_lines.get(("statements", index), one.lines["statements"])
            if not (isinstance(statement, dict) and set(statement) == {"id", "text"}):
                problem(line, "a statement has exactly an id and a text")
            elif not (isinstance(statement["id"], str) and ID_PATTERN.match(statement["id"])):
                problem(line, "a statement's id must be lowercase letters, digits and hyphens")
            elif not _text(statement["text"]):
                problem(line, f"statement {statement['id']!r} needs a non-empty text")
    measures = fields["measures"]
    if not isinstance(measures, list) or not measures:
        problem(one.lines["measures"], "measures must be a list with at least one measure")
    else:
        for index, measure in enumerate(measures):
            line = one.item_lines.get(("measures", index), one.lines["measures"])
            reason = _measure_problem(measure)
            if reason:
                problem(line, reason)
    return problems


def _measure_problem(measure: object) -> str | None:
    if not isinstance(measure, dict):
        return "a measure must be a mapping of keys to values"
    unknown = set(measure) - set(MEASURE_KEYS)
    if unknown:
        return f"unknown key {sorted(unknown)[0]!r} in a measure (known: {', '.join(MEASURE_KEYS)})"
    missing = [key for key in MEASURE_KEYS if key not in measure]
    if missing:
        return f"a measure is missing {', '.join(missing)}"
    if not (isinstance(measure["id"], str) and ID_PATTERN.match(measure["id"])):
        return "a measure's id must be lowercase letters, digits and hyphens"
    for key in ("effort", "benefit"):
        if measure[key] not in LEVELS:
            return f"measure {measure['id']!r}: {key} must be 1 (low), 2 (medium) or 3 (high)"
    if not (_texts(measure["fits"]) and set(measure["fits"]) <= set(ORG_TYPES)):
        return f"measure {measure['id']!r}: fits must list organisation types ({', '.join(ORG_TYPES)})"
    if measure["system"] not in SYSTEM_KINDS:
        return f"measure {measure['id']!r}: system must be one of {', '.join(SYSTEM_KINDS)}"
    if not _texts(measure["topics"]):
        return f"measure {measure['id']!r}: topics must be a list of texts"
    if not (_text(measure["title"]) and _text(measure["source"])):
        return f"measure {measure['id']!r}: title and source must be non-empty texts"
    return None


def _check_languages(german: Mapping[str, _Parsed], english: Mapping[str, _Parsed]) -> list[Problem]:
    """Both languages must describe the same dimensions, statements and measures (ids and numbers)."""
    problems: list[Problem] = []
    for dimension_id in sorted(set(german) ^ set(english)):
        present = german.get(dimension_id) or english[dimension_id]
        problems.append(Problem(present.path, present.lines["id"],
                                f"dimension {dimension_id!r} exists in one language only"))
    for dimension_id in sorted(set(german) & set(english)):
        de, en = german[dimension_id], english[dimension_id]
        for key in ("statements", "measures"):
            if [s["id"] for s in de.fields[key]] != [s["id"] for s in en.fields[key]]:
                problems.append(Problem(en.path, en.lines[key], f"{key} must have the same ids, in the same "
                                                                f"order, as in {de.path}"))
        for index, (one, other) in enumerate(zip(de.fields["measures"], en.fields["measures"], strict=False)):
            for key in ("effort", "benefit", "fits", "system", "topics"):
                if one[key] != other[key]:
                    problems.append(Problem(en.path, en.item_lines.get(("measures", index), 2),
                                            f"measure {one['id']!r}: {key} differs from {de.path}"))
    return problems


def _dimension(de: _Parsed, en: _Parsed) -> Dimension:
    dimension_id = de.fields["id"]
    return Dimension(
        dimension_id, int(de.fields.get("order", 0)),
        {"de": de.fields["title"].strip(), "en": en.fields["title"].strip()},
        tuple(str(t) for t in de.fields.get("topics", [])),
        tuple(Statement(s["id"], {"de": s["text"].strip(), "en": t["text"].strip()})
              for s, t in zip(de.fields["statements"], en.fields["statements"], strict=True)),
        tuple(CatalogueMeasure(m["id"], dimension_id, {"de": m["title"].strip(), "en": n["title"].strip()},
                               m["effort"], m["benefit"], tuple(m["fits"]), m["system"], tuple(m["topics"]),
                               {"de": m["source"].strip(), "en": n["source"].strip()})
              for m, n in zip(de.fields["measures"], en.fields["measures"], strict=True)),
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


class CatalogueRow(Base):
    __tablename__ = "check_catalogues"

    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class CatalogueVersion:
    """A catalogue version as kept: who made it current last, and when."""

    version: str
    imported_by: str
    imported_at: datetime


class CatalogueStore:
    """Every imported catalogue version; the newest is what new checks begin with."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock
        self._versions: dict[str, Catalogue] = {}
        self._current: str | None = None

    async def import_catalogue(self, catalogue: Catalogue, by: str, *, only_if_new: bool = False,
                               action: str = "check-catalogue-import", change: Any = None) -> bool:
        """Make `catalogue` the current one; False if it was current already. With `only_if_new`, a version
        imported before is left as it is, so the shipped catalogue at start never undoes a moderator's edit."""
        async with self._database.transaction() as session:
            row = await session.get(CatalogueRow, catalogue.version)
            newest = await self._newest(session)
            now = self._clock()
            if row is None:
                session.add(CatalogueRow(version=catalogue.version, content=catalogue.to_json(), imported_by=by,
                                         imported_at=now))
            elif newest == catalogue.version:
                self._versions[catalogue.version] = catalogue
                self._current = catalogue.version
                return False
            elif only_if_new:
                return False
            else:
                row.imported_at = now
                row.imported_by = by
            await record(session, now, by, action, f"check-catalogue:{catalogue.version}", newest,
                         change if change is not None else {"dimensions": [d.id for d in catalogue.dimensions]})
        self._versions[catalogue.version] = catalogue
        self._current = catalogue.version
        return True

    async def change_measure(self, measure: CatalogueMeasure, by: str) -> Catalogue:
        """A new current version with one measure changed or added; raises ValueError if it breaks a rule."""
        current = await self.current()
        if current.dimension(measure.dimension) is None:
            raise ValueError(f"dimension {measure.dimension!r} is unknown")
        reason = measure_problem(measure)
        if reason:
            raise ValueError(reason)
        changed = with_measure(current, measure)
        await self.import_catalogue(changed, by, action="check-catalogue-edit",
                                    change={"measure": measure.id, "dimension": measure.dimension})
        return changed

    async def change_statement(self, dimension_id: str, statement: Statement, by: str) -> Catalogue:
        """A new current version with one statement's text changed; raises ValueError for an empty text."""
        if not all(_text(statement.text.get(language)) for language in LANGUAGES):
            raise ValueError("a statement needs a text in both languages")
        changed = with_statement(await self.current(), dimension_id, statement)
        await self.import_catalogue(changed, by, action="check-catalogue-edit",
                                    change={"statement": statement.id, "dimension": dimension_id})
        return changed

    async def history(self) -> list[CatalogueVersion]:
        """Every version kept, the current one first."""
        async with self._database.reading() as session:
            rows = await session.scalars(select(CatalogueRow).order_by(CatalogueRow.imported_at.desc()))
            return [CatalogueVersion(row.version, row.imported_by, row.imported_at) for row in rows]

    async def make_current(self, version: str, by: str) -> bool:
        """Return to a version kept from before (a revert); raises LookupError for an unknown one."""
        return await self.import_catalogue(await self.version(version), by, action="check-catalogue-revert",
                                           change={"version": version})

    async def current(self) -> Catalogue:
        if self._current is None:
            async with self._database.reading() as session:
                self._current = await self._newest(session)
        if self._current is None:
            raise LookupError("no check catalogue has been imported")
        return await self.version(self._current)

    async def version(self, version: str) -> Catalogue:
        """The catalogue a check began with, even after a newer one was imported."""
        found = self._versions.get(version)
        if found is None:
            async with self._database.reading() as session:
                row = await session.get(CatalogueRow, version)
            if row is None:
                raise LookupError(f"check catalogue version {version} is unknown")
            found = self._versions[version] = Catalogue.from_json(row.content)
        return found

    @staticmethod
    async def _newest(session: Any) -> str | None:
        newest: str | None = await session.scalar(
            select(CatalogueRow.version).order_by(CatalogueRow.imported_at.desc()).limit(1))
        return newest


def all_statements(catalogue: Catalogue) -> Sequence[str]:
    """Statement keys as stored with answers: `dimension/statement`."""
    return [f"{d.id}/{s.id}" for d, s in catalogue.statements()]
