"""The check's catalogue in the console: dimensions with their statements and measures, editing a
statement's wording or a measure (or adding one), and returning to an earlier version.

Each change makes a new catalogue version through the check's catalogue store, audited like an import;
checks already running keep the version they began with, new checks get the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from aiohttp import web

from adapters.web.console import Form, console_of, done, form_of, moderators, page, signed_in
from bot.features.check.catalogue import (
    LEVELS,
    ORG_TYPES,
    SYSTEM_KINDS,
    Catalogue,
    CatalogueMeasure,
    CatalogueStore,
    Dimension,
    Statement,
)
from bot.features.check.phrases import LEVEL_LABELS, SYSTEM_KIND_LABELS
from bot.features.check.phrases import ORG_TYPES as ORG_LABELS
from knowledge.entry import LANGUAGES, Language
from knowledge.files import ID_PATTERN

LABELS: Mapping[str, Any] = {"org_labels": ORG_LABELS, "level_labels": LEVEL_LABELS,
                             "system_labels": SYSTEM_KIND_LABELS}
"""The check's own words for organisation types, levels and systems, so the console says what the chat says."""


@dataclass(frozen=True)
class MeasureFields:
    """The measure form as typed; levels and lists stay text until they are checked."""

    id: str = ""
    title_de: str = ""
    title_en: str = ""
    effort: str = "2"
    benefit: str = "2"
    fits: tuple[str, ...] = ()
    system: str = "neutral"
    topics: str = ""
    source_de: str = ""
    source_en: str = ""

    @staticmethod
    def of(measure: CatalogueMeasure) -> MeasureFields:
        return MeasureFields(measure.id, measure.title.get("de", ""), measure.title.get("en", ""),
                             str(measure.effort), str(measure.benefit), measure.fits, measure.system,
                             ", ".join(measure.topics), measure.source.get("de", ""), measure.source.get("en", ""))

    @staticmethod
    def posted(form: Form) -> MeasureFields:
        return MeasureFields(form.get("id"), form.get("title_de"), form.get("title_en"), form.get("effort"),
                             form.get("benefit"), tuple(fit for fit in form.values("fits") if fit in ORG_TYPES),
                             form.get("system"), form.get("topics"), form.get("source_de"), form.get("source_en"))

    def problems(self) -> dict[str, str]:
        found = {}
        if not ID_PATTERN.match(self.id):
            found["id"] = "problem-measure-id"
        for name in ("title_de", "title_en"):
            if not getattr(self, name):
                found[name] = "problem-measure-title"
        for name in ("source_de", "source_en"):
            if not getattr(self, name):
                found[name] = "problem-measure-source"
        if not self.fits:
            found["fits"] = "problem-measure-fits"
        return found

    def measure(self, dimension: str) -> CatalogueMeasure:
        def level(value: str) -> int:
            return int(value) if value.isdigit() and int(value) in LEVELS else 2

        return CatalogueMeasure(self.id, dimension, {"de": self.title_de, "en": self.title_en}, level(self.effort),
                                level(self.benefit), self.fits,
                                self.system if self.system in SYSTEM_KINDS else "neutral",
                                tuple(topic.strip() for topic in self.topics.split(",") if topic.strip()),
                                {"de": self.source_de, "en": self.source_en})


def _catalogues(request: web.Request) -> CatalogueStore:
    return console_of(request).lotse.check.catalogues


@moderators
async def overview(request: web.Request) -> web.StreamResponse:
    store = _catalogues(request)
    return page(request, "check_catalogue.html", section="check", title_key="check-catalogue-title",
                catalogue=await store.current(), versions=await store.history(), **LABELS)


@moderators
async def edit_measure(request: web.Request) -> web.StreamResponse:
    dimension, measure = await _measure(request)
    return _measure_page(request, dimension, MeasureFields.of(measure) if measure else MeasureFields(), measure)


@moderators
async def save_measure(request: web.Request) -> web.StreamResponse:
    dimension, measure = await _measure(request)
    fields = MeasureFields.posted(await form_of(request))
    if measure is not None:
        fields = replace(fields, id=measure.id)  # checks and measure lists refer to a measure by its id
    problems = fields.problems()
    if measure is None and not problems and (await _catalogues(request).current()).measure(fields.id):
        problems = {"id": "problem-measure-exists"}
    if problems:
        return _measure_page(request, dimension, fields, measure, problems)
    try:
        await _catalogues(request).change_measure(fields.measure(dimension.id), signed_in(request).person)
    except ValueError:
        return _measure_page(request, dimension, fields, measure, {"": "problem-measure-rules"})
    raise done("/check-catalogue", "check-measure-saved", id=fields.id)


@moderators
async def edit_statement(request: web.Request) -> web.StreamResponse:
    dimension, statement = await _statement(request)
    return _statement_page(request, dimension, statement, statement.text)


@moderators
async def save_statement(request: web.Request) -> web.StreamResponse:
    dimension, statement = await _statement(request)
    form = await form_of(request)
    texts: dict[Language, str] = {language: form.get(f"text_{language}") for language in LANGUAGES}
    problems = {f"text_{language}": "problem-statement-text" for language, text in texts.items() if not text}
    if problems:
        return _statement_page(request, dimension, statement, texts, problems)
    changed = Statement(statement.id, texts)
    if changed != statement:
        await _catalogues(request).change_statement(dimension.id, changed, signed_in(request).person)
    raise done("/check-catalogue", "check-statement-saved" if changed != statement else "unchanged", id=statement.id)


@moderators
async def make_current(request: web.Request) -> web.StreamResponse:
    version = (await form_of(request)).get("version")
    try:
        await _catalogues(request).make_current(version, signed_in(request).person)
    except LookupError as missing:
        raise web.HTTPNotFound() from missing
    raise done("/check-catalogue", "check-version-current", version=version)


def _measure_page(request: web.Request, dimension: Dimension, fields: MeasureFields,
                  measure: CatalogueMeasure | None, problems: dict[str, str] | None = None) -> web.StreamResponse:
    return page(request, "check_measure.html", status=422 if problems else 200, section="check",
                title_key="check-measure-title" if measure else "check-measure-new", dimension=dimension,
                fields=fields, measure=measure, problems=problems or {}, org_types=ORG_TYPES,
                system_kinds=SYSTEM_KINDS, levels=LEVELS, **LABELS)


def _statement_page(request: web.Request, dimension: Dimension, statement: Statement, texts: Mapping[Language, str],
                    problems: dict[str, str] | None = None) -> web.StreamResponse:
    return page(request, "check_statement.html", status=422 if problems else 200, section="check",
                title_key="check-statement-title", dimension=dimension, statement=statement, texts=texts,
                problems=problems or {}, languages=LANGUAGES)


async def _dimension(request: web.Request) -> tuple[Catalogue, Dimension]:
    catalogue = await _catalogues(request).current()
    dimension = catalogue.dimension(request.match_info["dimension"])
    if dimension is None:
        raise web.HTTPNotFound()
    return catalogue, dimension


async def _measure(request: web.Request) -> tuple[Dimension, CatalogueMeasure | None]:
    """The dimension and measure the address names; `new` as the measure means one to add."""
    _, dimension = await _dimension(request)
    wanted = request.match_info["measure"]
    if wanted == "new":
        return dimension, None
    measure = next((m for m in dimension.measures if m.id == wanted), None)
    if measure is None:
        raise web.HTTPNotFound()
    return dimension, measure


async def _statement(request: web.Request) -> tuple[Dimension, Statement]:
    _, dimension = await _dimension(request)
    statement = next((s for s in dimension.statements if s.id == request.match_info["statement"]), None)
    if statement is None:
        raise web.HTTPNotFound()
    return dimension, statement


def add_routes(app: web.Application) -> None:
    app.router.add_get("/check-catalogue", overview)
    app.router.add_post("/check-catalogue/current", make_current)
    app.router.add_get("/check-catalogue/{dimension}/measures/{measure}", edit_measure)
    app.router.add_post("/check-catalogue/{dimension}/measures/{measure}", save_measure)
    app.router.add_get("/check-catalogue/{dimension}/statements/{statement}", edit_statement)
    app.router.add_post("/check-catalogue/{dimension}/statements/{statement}", save_statement)
