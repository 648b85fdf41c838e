"""The Beratungskompass in the console: providers and offers listed with search and stale marks, edited
as the same file text `lotse kompass import` reads, checked, withdrawn and restored, with history and revert.

Every change goes through the Kompass catalogue with the moderator as author, which writes the version
and the audit record exactly as `/provider` and `/offer` in chat do; the directory follows at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from adapters.web.console import Console, console_of, done, form_of, moderators, page, signed_in
from bot.features.kompass.catalogue import Stored
from bot.features.kompass.files import kind_of, parse_text, render
from bot.features.kompass.model import Item, Offer, Provider
from knowledge.files import KnowledgeFileError
from knowledge.normaliser import fold

KINDS = ("provider", "offer")
LISTED = 200
TEMPLATES = {
    "provider": "---\nprovider: \nname: \nkind: advice-centre\nwebsite: \ncontact: \narea: [DE]\nsource: \n"
                "checked: {today}\n---\n",
    "offer": "---\noffer: \nprovider: \nkind: advice\ntitle: \ntopics: []\naudiences: []\nlink: \nsource: \n"
             "checked: {today}\n---\n",
}
"""What a new provider's or offer's text starts as: the required keys, to be filled in."""


@dataclass(frozen=True)
class Listed:
    """A provider or offer as the list shows it."""

    stored: Stored
    title: str
    stale: bool

    @property
    def item(self) -> Item:
        return self.stored.item


@dataclass(frozen=True)
class Filters:
    query: str
    kind: str
    stale_only: bool
    withdrawn: bool

    @staticmethod
    def of(request: web.Request) -> Filters:
        kind = request.query.get("kind", "")
        return Filters(request.query.get("q", "").strip()[:200], kind if kind in KINDS else "",
                       request.query.get("stale") == "on", request.query.get("withdrawn") == "on")

    def keeps(self, listed: Listed) -> bool:
        if self.kind and listed.stored.kind != self.kind:
            return False
        if self.stale_only and not listed.stale:
            return False
        if listed.stored.withdrawn != self.withdrawn:
            return False
        wanted = fold(self.query)
        return not wanted or wanted in fold(f"{listed.item.id} {listed.title}")


def title_of(item: Item) -> str:
    return item.name if isinstance(item, Provider) else item.title


async def listed(console: Console) -> list[Listed]:
    directory = console.lotse.kompass.directory
    before = directory.stale_before()
    return [Listed(stored, title_of(stored.item), stored.item.checked < before)
            for kind in KINDS for stored in await directory.catalogue.list(kind, include_withdrawn=True)]


@moderators
async def directory_list(request: web.Request) -> web.StreamResponse:
    filters = Filters.of(request)
    items = [item for item in await listed(console_of(request)) if filters.keeps(item)]
    items.sort(key=lambda item: (not item.stale, item.stored.kind, fold(item.title)))
    return page(request, "kompass_list.html", section="kompass", title_key="kompass-title", filters=filters,
                items=items[:LISTED], count=len(items), kinds=KINDS)


@moderators
async def new_item(request: web.Request) -> web.StreamResponse:
    kind = request.query.get("kind", "provider")
    if kind not in KINDS:
        raise web.HTTPNotFound()
    today = console_of(request).lotse.kompass.directory.today().isoformat()
    return _editor(request, None, kind, TEMPLATES[kind].format(today=today))


@moderators
async def create_item(request: web.Request) -> web.StreamResponse:
    form = await form_of(request)
    kind = form.get("kind")
    if kind not in KINDS:
        raise web.HTTPNotFound()
    source = form.raw("source")
    item, problems = await _parsed(console_of(request), source, kind)
    if item is not None and await console_of(request).lotse.kompass.directory.catalogue.get(kind, item.id):
        problems = [f"{kind} {item.id!r} exists already: edit it instead"]
    if item is None or problems:
        return _editor(request, None, kind, source, problems)
    await console_of(request).lotse.kompass.directory.catalogue.save(item, signed_in(request).person)
    raise done(f"/kompass/{kind}/{item.id}", "kompass-created", id=item.id)


@moderators
async def edit_item(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    return _editor(request, stored, stored.kind, render(stored.item))


@moderators
async def save_item(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    form = await form_of(request)
    source = form.raw("source")
    item, problems = await _parsed(console_of(request), source, stored.kind)
    if item is not None and item.id != stored.item.id:
        problems = [f"the id is {stored.item.id!r}; a different id would be another {stored.kind}"]
    if item is None or problems:
        return _editor(request, stored, stored.kind, source, problems)
    version = await console_of(request).lotse.kompass.directory.catalogue.save(item, signed_in(request).person)
    notice = "unchanged" if version == stored.version and not stored.withdrawn else "kompass-saved"
    raise done(_address(stored), notice, id=item.id, version=version)


@moderators
async def mark_checked(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    directory = console_of(request).lotse.kompass.directory
    await directory.catalogue.mark_checked(stored.kind, stored.item.id, signed_in(request).person, directory.today())
    raise done(_address(stored), "kompass-checked", id=stored.item.id)


@moderators
async def withdraw_item(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    await console_of(request).lotse.kompass.directory.catalogue.withdraw(stored.kind, stored.item.id,
                                                                         signed_in(request).person)
    raise done(_address(stored), "kompass-withdrawn", id=stored.item.id)


@moderators
async def restore_item(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    await console_of(request).lotse.kompass.directory.catalogue.restore(stored.kind, stored.item.id,
                                                                        signed_in(request).person)
    raise done(_address(stored), "kompass-restored", id=stored.item.id)


@dataclass(frozen=True)
class VersionLines:
    """One version of an item and its file text compared line by line with the version before."""

    version: int
    changed_by: str
    changed_at: object
    lines: tuple[tuple[str, str], ...]
    """(`same` | `added` | `removed`, text)."""


@moderators
async def history(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    versions = await console_of(request).lotse.kompass.directory.catalogue.versions(stored.kind, stored.item.id)
    shown: list[VersionLines] = []
    before: list[str] = []
    for version in versions:
        after = render(version.item).splitlines()
        shown.append(VersionLines(version.version, version.changed_by, version.changed_at, _compared(before, after)))
        before = after
    return page(request, "kompass_history.html", section="kompass", title_key="kompass-history-title",
                stored=stored, title=title_of(stored.item), versions=list(reversed(shown)))


@moderators
async def revert(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    wanted = (await form_of(request)).get("version")
    version = await console_of(request).lotse.kompass.directory.catalogue.revert(
        stored.kind, stored.item.id, int(wanted) if wanted.isdigit() else 0, signed_in(request).person)
    if version is None:
        raise web.HTTPNotFound()
    raise done(_address(stored), "reverted", id=stored.item.id, version=version)


def _compared(before: list[str], after: list[str]) -> tuple[tuple[str, str], ...]:
    marks = {"+ ": "added", "- ": "removed", "  ": "same"}
    return tuple((marks[line[:2]], line[2:]) for line in difflib.ndiff(before, after) if line[:2] in marks)


async def _parsed(console: Console, source: str, kind: str) -> tuple[Item | None, list[str]]:
    """The item the text describes, or the problems as `line N: reason`; it must be of the page's kind and
    an offer must name a provider that exists."""
    parts = console.lotse.kompass
    try:
        item, _ = parse_text(source, Path(kind), parts.vocabulary)
    except KnowledgeFileError as error:
        return None, [f"line {problem.line}: {problem.reason}" for problem in error.problems]
    if kind_of(item) != kind:
        return None, [f"this text describes an {kind_of(item)}, not a {kind}"]
    if isinstance(item, Offer) and await parts.directory.catalogue.get("provider", item.provider) is None:
        return item, [f"provider {item.provider!r} is not known: add the provider first"]
    return item, []


def _editor(request: web.Request, stored: Stored | None, kind: str, source: str,
            problems: list[str] | None = None) -> web.StreamResponse:
    directory = console_of(request).lotse.kompass.directory
    stale = stored is not None and stored.item.checked < directory.stale_before()
    return page(request, "kompass_edit.html", status=422 if problems else 200, section="kompass",
                title_key="kompass-edit-title" if stored else f"kompass-new-{kind}", stored=stored, kind=kind,
                source=source, source_problems=problems or [], stale=stale,
                title=title_of(stored.item) if stored else "")


async def _stored(request: web.Request) -> Stored:
    kind = request.match_info["kind"]
    if kind not in KINDS:
        raise web.HTTPNotFound()
    found = await console_of(request).lotse.kompass.directory.catalogue.get(kind, request.match_info["item"])
    if found is None:
        raise web.HTTPNotFound()
    return found


def _address(stored: Stored) -> str:
    return f"/kompass/{stored.kind}/{stored.item.id}"


def add_routes(app: web.Application) -> None:
    app.router.add_get("/kompass", directory_list)
    app.router.add_get("/kompass/new", new_item)
    app.router.add_post("/kompass/new", create_item)
    app.router.add_get("/kompass/{kind}/{item}", edit_item)
    app.router.add_post("/kompass/{kind}/{item}", save_item)
    app.router.add_post("/kompass/{kind}/{item}/checked", mark_checked)
    app.router.add_post("/kompass/{kind}/{item}/withdraw", withdraw_item)
    app.router.add_post("/kompass/{kind}/{item}/restore", restore_item)
    app.router.add_get("/kompass/{kind}/{item}/history", history)
    app.router.add_post("/kompass/{kind}/{item}/revert", revert)
