"""The unanswered queue in the console: groups with their counts; answer, link or dismiss a group.

Answering or linking goes through curation's editor, so the askers hear back through the outbox
exactly as when a moderator answers in chat.
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.console import console_of, done, form_of, moderators, page, signed_in
from adapters.web.knowledge import Fields
from bot.features.curation.form import Draft, parse_language, parse_list, parse_tags
from bot.features.curation.queue import Group, GroupStatus
from knowledge.entry import LANGUAGES, Status, as_language

SHOWN = 100
SUGGESTIONS = 5
MAX_REASON = 500


@moderators
async def groups(request: web.Request) -> web.StreamResponse:
    open_groups = await console_of(request).lotse.curation.queue.open_groups(SHOWN)
    return page(request, "queue.html", section="queue", title_key="queue-title", groups=open_groups)


@moderators
async def group(request: web.Request) -> web.StreamResponse:
    found = await _group(request)
    fields = Fields(question=found.sample, alternatives="\n".join(q for q in dict.fromkeys(found.questions)
                                                                  if q.strip() != found.sample.strip()),
                    lang=as_language(signed_in(request).language))
    return await _group_page(request, found, fields)


async def _group_page(request: web.Request, found: Group, fields: Fields, problems: dict[str, str] | None = None,
                      status: int = 200) -> web.StreamResponse:
    console = console_of(request)
    suggestions = []
    for candidate in await console.lotse.faq.rank(found.sample, SUGGESTIONS):
        entry = await console.lotse.faq.entry(candidate.entry_id)
        if entry is not None:
            suggestions.append((entry, candidate.score))
    return page(request, "queue_group.html", status=status, section="queue", title_key="group-title", group=found,
                fields=fields, problems=problems or {}, suggestions=suggestions, languages=LANGUAGES,
                four_eyes=console.lotse.curation.editor.four_eyes, open=found.status is GroupStatus.OPEN)


@moderators
async def answer(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    session = signed_in(request)
    found = await _group(request)
    form = await form_of(request)
    fields = Fields(form.get("question"), form.raw("alternatives"), form.raw("answer"), form.get("tags"),
                    form.get("lang", "de"))
    problems = {key: value for key, value in fields.problems().items() if key != "review_by"}
    if found.status is not GroupStatus.OPEN:
        problems[""] = "problem-group-closed"
    if problems:
        return await _group_page(request, found, fields, problems, status=422)
    draft = Draft(fields.question, parse_list(fields.alternatives), fields.answer.strip(), parse_tags(fields.tags),
                  parse_language(fields.lang) or session.language)
    entry = await console.lotse.curation.editor.create(draft, session.person, publish=form.get("do") == "publish",
                                                        group_id=found.id)
    await console.lotse.faq.entries_changed()
    notice = "answered-published" if entry.status is Status.PUBLISHED else "answered-draft"
    raise done("/queue", notice, group=found.id, id=entry.id)


@moderators
async def link(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    found = await _group(request)
    entry_id = (await form_of(request)).get("entry")
    outcome = await console.lotse.curation.editor.link(found.id, entry_id, signed_in(request).person)
    if outcome != "linked":
        raise done(f"/queue/{found.id}", f"link-{outcome}", group=found.id, id=entry_id[:80])
    await console.lotse.faq.entries_changed()
    raise done("/queue", "linked", group=found.id, id=entry_id)


@moderators
async def dismiss(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    found = await _group(request)
    reason = (await form_of(request)).get("reason")[:MAX_REASON]
    if not reason:
        raise done(f"/queue/{found.id}", "dismiss-needs-reason", group=found.id)
    if not await console.lotse.curation.queue.dismiss(found.id, reason, signed_in(request).person):
        raise done(f"/queue/{found.id}", "link-no-group", group=found.id)
    raise done("/queue", "dismissed", group=found.id)


async def _group(request: web.Request) -> Group:
    number = request.match_info["group"]
    found = await console_of(request).lotse.curation.queue.group(int(number)) if number.isdigit() else None
    if found is None:
        raise web.HTTPNotFound()
    return found


def add_routes(app: web.Application) -> None:
    app.router.add_get("/queue", groups)
    app.router.add_get("/queue/{group}", group)
    app.router.add_post("/queue/{group}/answer", answer)
    app.router.add_post("/queue/{group}/link", link)
    app.router.add_post("/queue/{group}/dismiss", dismiss)
