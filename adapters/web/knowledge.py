"""The knowledge base in the console: list with search and filters, editor with preview and a test
box, version history with diffs and revert, publishing under the four-eyes rule.

Search and the test box ask the FAQ, so they find what members' questions find. Every change goes
through the knowledge base or curation's editor with the moderator as author, which writes the
version and the audit record exactly as the chat commands do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from aiohttp import web

from adapters.web.console import Console, console_of, done, form_of, moderators, page, signed_in
from adapters.web.diff import changes
from bot.features.curation.form import Draft, parse_date, parse_language, parse_list, parse_tags
from bot.knowledge_base import StoredEntry
from knowledge.entry import LANGUAGES, Entry, Language, Status
from knowledge.normaliser import fold

SEARCH_LIMIT = 50
ORDERS = ("id", "downvotes", "changed")
STATUSES = ("current", "published", "draft", "deleted")


@dataclass(frozen=True)
class Listed:
    """An entry as the list shows it."""

    stored: StoredEntry
    up: int
    down: int
    review_due: bool
    missing_in: tuple[str, ...]
    """Languages members asked in and got this entry in the other one."""
    score: float | None = None


@dataclass(frozen=True)
class Filters:
    query: str
    tag: str
    language: str
    status: str
    review_due: bool
    missing_translation: bool
    order: str

    @staticmethod
    def of(request: web.Request) -> Filters:
        get = request.query.get
        status = get("status", "current")
        order = get("order", "id")
        return Filters(get("q", "").strip()[:300], get("tag", "").strip(), get("lang", ""),
                       status if status in STATUSES else "current", get("review") == "on",
                       get("translation") == "on", order if order in ORDERS else "id")

    def keeps(self, item: Listed) -> bool:
        stored = item.stored
        if self.status == "deleted" and not stored.deleted:
            return False
        if self.status != "deleted" and stored.deleted:
            return False
        if self.status in ("published", "draft") and stored.entry.status.value != self.status:
            return False
        if self.tag and self.tag not in stored.entry.tags:
            return False
        if self.language in LANGUAGES and stored.entry.lang != self.language:
            return False
        if self.review_due and not item.review_due:
            return False
        return not (self.missing_translation and not item.missing_in)


async def listed(console: Console) -> list[Listed]:
    lotse = console.lotse
    now = lotse.clock()
    ratings = await lotse.faq.ratings()
    figures = await lotse.curation.stats.figures(now)
    missing: dict[str, list[str]] = {}
    for entry_id, asked_in, _count in figures.missing_translations:
        missing.setdefault(entry_id, []).append(asked_in)
    return [
        Listed(stored, *ratings.get(stored.entry.id, (0, 0)), lotse.curation.stats.review_due(stored, now),
               tuple(missing.get(stored.entry.id, ())))
        for stored in await lotse.knowledge_base.all_stored()
    ]


async def searched(console: Console, items: list[Listed], query: str) -> list[Listed]:
    """Published entries ranked as a member's question would rank them; others where the text holds the query."""
    ranked = {candidate.entry_id: candidate.score for candidate in await console.lotse.faq.rank(query, SEARCH_LIMIT)}
    wanted = fold(query)
    found = [replace(item, score=ranked[item.stored.entry.id]) for item in items if item.stored.entry.id in ranked]
    found.sort(key=lambda item: -(item.score or 0))
    for item in items:
        entry = item.stored.entry
        if entry.id not in ranked and wanted in fold(" ".join((entry.id, *entry.phrasings, entry.answer))):
            found.append(item)
    return found


@moderators
async def entry_list(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    filters = Filters.of(request)
    items = await listed(console)
    tags = sorted({tag for item in items for tag in item.stored.entry.tags})
    if filters.query:
        items = await searched(console, items, filters.query)
    elif filters.order == "downvotes":
        items.sort(key=lambda item: (-item.down, item.stored.entry.id))
    elif filters.order == "changed":
        items.sort(key=lambda item: item.stored.updated_at, reverse=True)
    shown = [item for item in items if filters.keeps(item)]
    test = request.query.get("test", "").strip()[:500]
    return page(request, "kb_list.html", section="kb", title_key="kb-title", entries=shown, filters=filters,
                tags=tags, languages=LANGUAGES, statuses=STATUSES, orders=ORDERS,
                test=await tested(console, test), four_eyes=console.lotse.curation.editor.four_eyes)


@dataclass(frozen=True)
class Tested:
    """The test box's finding: what a member asking `question` gets, and how sure Lotse is."""

    question: str
    outcome: str
    entry: Entry | None
    score: float
    choices: tuple[tuple[Entry, float], ...]


async def tested(console: Console, question: str) -> Tested | None:
    if not question:
        return None
    faq = console.lotse.faq
    match = await faq.match(question)
    entry = await faq.entry(match.entry_id) if match.outcome == "answer" and match.entry_id else None
    choices = []
    for candidate in match.choices:
        chosen = await faq.entry(candidate.entry_id)
        if chosen is not None:
            choices.append((chosen, candidate.score))
    return Tested(question, match.outcome, entry, match.score, tuple(choices))


@dataclass(frozen=True)
class Fields:
    """The editor's fields as typed, kept when a save is refused so nothing is lost."""

    question: str = ""
    alternatives: str = ""
    answer: str = ""
    tags: str = ""
    lang: str = "de"
    review_by: str = ""
    version: int = 0

    @staticmethod
    def of(entry: Entry, version: int) -> Fields:
        return Fields(entry.question, "\n".join(entry.alternatives), entry.answer, ", ".join(entry.tags), entry.lang,
                      entry.review_by.isoformat() if entry.review_by else "", version)

    def problems(self) -> dict[str, str]:
        """Field name → phrase key of what is wrong with it."""
        found = {}
        if not self.question:
            found["question"] = "problem-question"
        if not self.answer.strip():
            found["answer"] = "problem-answer"
        if parse_language(self.lang) is None:
            found["lang"] = "problem-lang"
        if self.review_by and parse_date(self.review_by) is None:
            found["review_by"] = "problem-review-by"
        return found

    def applied_to(self, entry: Entry) -> Entry:
        review_by: date | None = parse_date(self.review_by) if self.review_by else None
        language: Language = parse_language(self.lang) or entry.lang
        return replace(entry, question=self.question, alternatives=parse_list(self.alternatives),
                       answer=self.answer.strip(), tags=parse_tags(self.tags), lang=language, review_by=review_by)


async def fields_of(request: web.Request) -> tuple[Fields, str]:
    form = await form_of(request)
    version = form.get("version")
    return Fields(form.get("question"), form.raw("alternatives"), form.raw("answer"), form.get("tags"),
                  form.get("lang", "de"), form.get("review_by"), int(version) if version.isdigit() else 0), \
        form.get("do", "save")


@moderators
async def new_entry(request: web.Request) -> web.StreamResponse:
    session = signed_in(request)
    return _editor(request, None, Fields(lang=session.language), preview=False)


@moderators
async def create_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    session = signed_in(request)
    fields, action = await fields_of(request)
    problems = fields.problems()
    if action == "preview" or problems:
        return _editor(request, None, fields, preview=action == "preview", problems=problems)
    draft = Draft(fields.question, parse_list(fields.alternatives), fields.answer.strip(), parse_tags(fields.tags),
                  parse_language(fields.lang) or session.language)
    entry = await console.lotse.curation.editor.create(draft, session.person, publish=action == "publish")
    await console.lotse.faq.entries_changed()
    raise done(f"/kb/{entry.id}", "created-published" if entry.status is Status.PUBLISHED else "created-draft",
               id=entry.id)


@moderators
async def edit_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    test = await tested(console, request.query.get("test", "").strip()[:500])
    return _editor(request, stored, Fields.of(stored.entry, stored.version), preview=False, test=test,
                   votes=(await console.lotse.faq.ratings()).get(stored.entry.id, (0, 0)),
                   review_due=console.lotse.curation.stats.review_due(stored, console.lotse.clock()))


@moderators
async def save_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    session = signed_in(request)
    stored = await _stored(request)
    fields, action = await fields_of(request)
    problems = fields.problems()
    if action == "preview" or problems:
        return _editor(request, stored, fields, preview=action == "preview", problems=problems)
    if stored.deleted:
        return _editor(request, stored, fields, preview=False, problems={"": "problem-deleted"})
    if fields.version != stored.version:
        return _editor(request, stored, fields, preview=False, problems={"": "problem-changed"}, status=409)
    version = await console.lotse.knowledge_base.save(fields.applied_to(stored.entry), session.person)
    await console.lotse.faq.entries_changed()
    if version == stored.version:
        raise done(f"/kb/{stored.entry.id}", "unchanged", id=stored.entry.id)
    raise done(f"/kb/{stored.entry.id}", "saved", id=stored.entry.id, version=version)


def _editor(request: web.Request, stored: StoredEntry | None, fields: Fields, preview: bool,
            problems: dict[str, str] | None = None, test: Tested | None = None, votes: tuple[int, int] = (0, 0),
            review_due: bool = False, status: int = 200) -> web.StreamResponse:
    console = console_of(request)
    problems = problems or {}
    return page(request, "kb_edit.html", status=422 if problems and status == 200 else status, section="kb",
                title_key="kb-edit-title" if stored else "kb-new-title", stored=stored, fields=fields,
                preview=preview, problems=problems, languages=LANGUAGES, test=test, votes=votes,
                review_due=review_due, four_eyes=console.lotse.curation.editor.four_eyes)


@moderators
async def publish_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    outcome = await console.lotse.curation.editor.publish(stored.entry.id, signed_in(request).person)
    await console.lotse.faq.entries_changed()
    raise done(f"/kb/{stored.entry.id}", f"publish-{outcome}", id=stored.entry.id)


@moderators
async def mark_reviewed(request: web.Request) -> web.StreamResponse:
    stored = await _stored(request)
    await console_of(request).lotse.knowledge_base.mark_reviewed(stored.entry.id, signed_in(request).person)
    raise done(f"/kb/{stored.entry.id}", "reviewed", id=stored.entry.id)


@moderators
async def delete_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    await console.lotse.knowledge_base.delete(stored.entry.id, signed_in(request).person)
    await console.lotse.faq.entries_changed()
    raise done(f"/kb/{stored.entry.id}", "deleted", id=stored.entry.id)


@moderators
async def restore_entry(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    await console.lotse.knowledge_base.restore(stored.entry.id, signed_in(request).person)
    await console.lotse.faq.entries_changed()
    raise done(f"/kb/{stored.entry.id}", "restored", id=stored.entry.id)


@moderators
async def history(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    versions = await console.lotse.knowledge_base.versions(stored.entry.id)
    shown = []
    previous: Entry | None = None
    for version in versions:
        shown.append((version, changes(previous, version.entry)))
        previous = version.entry
    return page(request, "kb_history.html", section="kb", title_key="history-title", stored=stored,
                versions=list(reversed(shown)))


@moderators
async def revert(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    stored = await _stored(request)
    wanted = (await form_of(request)).get("version")
    if not wanted.isdigit():
        raise web.HTTPBadRequest(text="version must be a number")
    version = await console.lotse.knowledge_base.revert(stored.entry.id, int(wanted), signed_in(request).person)
    await console.lotse.faq.entries_changed()
    if version is None:
        raise done(f"/kb/{stored.entry.id}/history", "no-version", id=stored.entry.id, version=wanted)
    raise done(f"/kb/{stored.entry.id}/history", "reverted", id=stored.entry.id, version=wanted)


async def _stored(request: web.Request) -> StoredEntry:
    stored = await console_of(request).lotse.knowledge_base.stored(request.match_info["entry"])
    if stored is None:
        raise web.HTTPNotFound()
    return stored


def add_routes(app: web.Application) -> None:
    app.router.add_get("/kb", entry_list)
    app.router.add_get("/kb/new", new_entry)
    app.router.add_post("/kb/new", create_entry)
    app.router.add_get("/kb/{entry}", edit_entry)
    app.router.add_post("/kb/{entry}", save_entry)
    app.router.add_post("/kb/{entry}/publish", publish_entry)
    app.router.add_post("/kb/{entry}/reviewed", mark_reviewed)
    app.router.add_post("/kb/{entry}/delete", delete_entry)
    app.router.add_post("/kb/{entry}/restore", restore_entry)
    app.router.add_get("/kb/{entry}/history", history)
    app.router.add_post("/kb/{entry}/revert", revert)
