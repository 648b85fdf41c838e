"""Providers and offers from a CSV an operator keeps elsewhere, in the columns of Open Referral HSDS.

One row per offer (an HSDS *service*) with its provider (the *organization*) in the same row; a
provider on several rows is written the same way on each. Columns are named `table.field` after
HSDS 3.0 where HSDS has the field, and `lotse.field` where it has none (the README lists them).
Multiple values in one cell are separated by `;`. Regions may be keys, names or postcodes, topics
ids or words. Like the Markdown files, a CSV is read all or nothing, problems as `path:line: reason`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.features.kompass.files import OFFER_FIELDS, PROVIDER_FIELDS, Field, ItemFile, Vocabulary, read_fields
from bot.features.kompass.model import Item, Offer, Provider
from bot.features.kompass.questions import audience_of
from knowledge.files import KnowledgeFileError, Problem

PROVIDER_COLUMNS: Mapping[str, str] = {
    "organization.id": "provider",
    "organization.name": "name",
    "lotse.provider_kind": "kind",
    "organization.website": "website",
    "organization.email": "contact",
    "lotse.contact_person": "contact_person",
    "lotse.provider_area": "area",
    "organization.description": "description",
}
OFFER_COLUMNS: Mapping[str, str] = {
    "service.id": "offer",
    "organization.id": "provider",
    "lotse.offer_kind": "kind",
    "service.name": "title",
    "service.description": "description",
    "taxonomy_term.code": "topics",
    "lotse.audiences": "audiences",
    "service_area.name": "area",
    "service.fees_description": "cost",
    "language.code": "languages",
    "service.url": "link",
    "service.eligibility_description": "eligible",
    "lotse.funding_type": "funding_type",
    "lotse.deadlines": "deadlines",
    "lotse.source": "source",
    "lotse.licence": "licence",
    "service.assured_date": "checked",
}
SHARED = {"lotse.source": "source", "lotse.licence": "licence", "service.assured_date": "checked"}
"""Columns that also describe the provider, taken from the first row that names it."""
REQUIRED_COLUMNS = ("organization.id", "organization.name", "lotse.provider_kind", "service.id", "service.name",
                    "lotse.offer_kind", "lotse.source", "service.assured_date")
LIST_KEYS = frozenset({"topics", "audiences", "area", "languages", "deadlines"})
ACTIVE = frozenset({"", "active"})
COSTS = {"free": "free", "kostenfrei": "free", "kostenlos": "free", "gratis": "free", "0": "free",
         "paid": "paid", "kostenpflichtig": "paid", "mixed": "mixed", "teils kostenfrei": "mixed",
         "teilweise kostenfrei": "mixed", "partly free": "mixed"}


@dataclass(frozen=True)
class Translators:
    """How free cell text becomes vocabulary: region names and postcodes to keys, words to topic ids."""

    area: Callable[[str], tuple[str, ...] | None]
    topics: Callable[[str], list[str]]


@dataclass(frozen=True)
class CsvRead:
    """The items of a CSV, and how many rows were left out because their service is not active."""

    files: list[ItemFile]
    inactive: int


def read_csv(path: Path, vocabulary: Vocabulary, translators: Translators) -> CsvRead:
    """Every provider and offer of one CSV file; raises `KnowledgeFileError` listing every problem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise KnowledgeFileError([Problem(path, 0, f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise KnowledgeFileError([Problem(path, 0, f"is not valid UTF-8 (byte {error.start})")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    known = {*PROVIDER_COLUMNS, *OFFER_COLUMNS, "service.status"}
    problems = [Problem(path, 1, f"missing column {column!r}") for column in missing]
    problems += [Problem(path, 1, f"unknown column {column!r} (see the Kompass CSV columns in README.md)")
                 for column in header if column not in known]
    if problems:
        raise KnowledgeFileError(problems)
    providers: dict[str, tuple[Provider, int]] = {}
    offers: dict[str, int] = {}
    files: list[ItemFile] = []
    inactive = 0
    line = 1
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if any(value is None for value in row.values()) or None in row:
                problems.append(Problem(path, start, "the row does not have as many cells as the header"))
                continue
            if row.get("service.status", "").strip().casefold() not in ACTIVE:
                inactive += 1
                continue
            provider, offer, row_problems = _row(path, start, row, vocabulary, translators)
            problems += row_problems
            if provider is None or offer is None:
                continue
            if provider.id in providers and _own(providers[provider.id][0]) != _own(provider):
                problems.append(Problem(path, start, f"provider {provider.id!r} is described differently on line "
                                                     f"{providers[provider.id][1]}"))
                continue
            if offer.id in offers:
                problems.append(Problem(path, start, f"service.id {offer.id!r} is also on line {offers[offer.id]}"))
                continue
            if provider.id not in providers:
                providers[provider.id] = (provider, start)
                files.append(ItemFile(path, provider, "", {"provider": start}))
            offers[offer.id] = start
            files.append(ItemFile(path, offer, "", {"offer": start, "provider": start}))
    except csv.Error as error:
        problems.append(Problem(path, reader.line_num, f"is not valid CSV: {error}"))
    if problems:
        raise KnowledgeFileError(problems)
    return CsvRead(files, inactive)


def _own(provider: Provider) -> Provider:
    """The provider's own columns: source, licence and check date come from its first row's offer."""
    return replace(provider, source="", licence="", checked=date.min)


def _row(path: Path, line: int, row: Mapping[str, str], vocabulary: Vocabulary,
         translators: Translators) -> tuple[Provider | None, Offer | None, list[Problem]]:
    cells = _Cells(path, line, vocabulary, translators)
    provider_raw = cells.read({**PROVIDER_COLUMNS, **SHARED}, row)
    offer_raw = cells.read(OFFER_COLUMNS, row)
    if cells.problems:
        return None, None, cells.problems
    provider = _build(PROVIDER_FIELDS, {**PROVIDER_COLUMNS, **SHARED}, provider_raw, Provider, cells)
    offer = _build(OFFER_FIELDS, OFFER_COLUMNS, offer_raw, Offer, cells)
    if cells.problems or not isinstance(provider, Provider) or not isinstance(offer, Offer):
        return None, None, cells.problems
    return provider, offer, []


def _build(spec: tuple[Field, ...], columns: Mapping[str, str], raw: dict[str, Any], build: Callable[..., Item],
           cells: _Cells) -> Item | None:
    description = str(raw.pop("description", ""))
    values, found = read_fields(spec, raw, lambda _key: cells.line, cells.path, cells.vocabulary)
    by_key = {key: column for column, key in columns.items()}
    for problem in found:
        key, separator, rest = problem.reason.partition(": ")
        reason = f"{by_key[key]}: {rest}" if separator and key in by_key else problem.reason
        cells.problems.append(Problem(cells.path, cells.line, reason.replace("required key", "value for")))
    return None if found else build(**values, description=description)


@dataclass
class _Cells:
    """Reads the cells of one row as the front matter would hold them: names, words and dates translated."""

    path: Path
    line: int
    vocabulary: Vocabulary
    translators: Translators
    problems: list[Problem] = field(default_factory=list)

    def read(self, columns: Mapping[str, str], row: Mapping[str, str]) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for column, key in columns.items():
            value = self._value(column, key, row.get(column, "").strip())
            if value not in ("", [], None):
                raw[key] = value
        return raw

    def _value(self, column: str, key: str, text: str) -> Any:
        if not text:
            return ""
        parts = [part.strip() for part in text.split(";") if part.strip()]
        if key == "area":
            keys = self.translators.area(text)
            if keys is None:
                return self._problem(f"{column}: no region found in {text!r} (give region keys, names or postcodes, "
                                     "separated by ';')")
            return list(keys)
        if key == "topics":
            ids = [part if part in self.vocabulary.topics else next(iter(self.translators.topics(part)), "")
                   for part in parts]
            unknown = [part for part, found in zip(parts, ids, strict=True) if not found]
            if unknown:
                return self._problem(f"{column}: no topic found for {', '.join(map(repr, unknown))}")
            return ids
        if key in ("checked", "deadlines"):
            try:
                dates = [date.fromisoformat(part) for part in parts]
            except ValueError:
                return self._problem(f"{column}: {text!r} is not a date such as 2027-03-31")
            return dates[0] if key == "checked" else dates
        if key == "audiences":
            audiences = [audience_of(part) for part in parts]
            unknown = [part for part, found in zip(parts, audiences, strict=True) if found is None]
            if unknown:
                return self._problem(f"{column}: no target group found for {', '.join(map(repr, unknown))}")
            return audiences
        if key == "cost":
            cost = COSTS.get(text.casefold())
            return cost if cost is not None else self._problem(f"{column}: say free, paid or mixed, not {text!r}")
        return parts if key in LIST_KEYS else text

    def _problem(self, reason: str) -> str:
        self.problems.append(Problem(self.path, self.line, reason))
        return ""
