"""Resources, events and digests in the console: lists, adding, editing, withdrawing, and the digest a
room or member would get now. Changes go through the digest feature's stores, which audit them and
queue corrections for rooms that already had the item, as in chat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn, Protocol

from aiohttp import web

from adapters.web.console import console_of, done, form_of, moderators, page, signed_in
from bot.features.digest.dates import parse_moment
from bot.features.digest.events import EventDraft
from bot.features.digest.model import Event, Resource
from bot.features.digest.resources import ResourceDraft, tags_from
from knowledge.entry import LANGUAGES, Language, as_language

LISTED = 100


@dataclass(frozen=True)
class ResourceFields:
    title: str = ""
    link: str = ""
    summary: str = ""
    tags: str = ""
    language: str = "de"

    def problems(self) -> dict[str, str]:
        found = {}
        if not self.title:
            found["title"] = "problem-title"
        if not self.link.startswith(("https://", "http://")):
            found["link"] = "problem-link"
        return found


@dataclass(frozen=True)
class EventFields:
    title: str = ""
    start: str = ""
    end: str = ""
    place: str = ""
    link: str = ""
    organiser: str = ""
    tags: str = ""
    language: str = "de"


@moderators
async def resources(request: web.Request) -> web.StreamResponse:
    return await _resources_page(request, ResourceFields(language=signed_in(request).language))


async def _resources_page(request: web.Request, fields: ResourceFields, problems: dict[str, str] | None = None,
                          status: int = 200) -> web.StreamResponse:
    latest = await console_of(request).lotse.digest.resources.latest(limit=LISTED)
    return page(request, "resources.html", status=status, section="resources", title_key="resources-title",
                resources=latest, fields=fields, problems=problems or {}, languages=LANGUAGES)


async def _resource_fields(request: web.Request) -> ResourceFields:
    form = await form_of(request)
    return ResourceFields(form.get("title"), form.get("link"), form.get("summary"), form.get("tags"),
                          form.get("language", "de"))


@moderators
async def add_resource(request: web.Request) -> web.StreamResponse:
    fields = await _resource_fields(request)
    problems = fields.problems()
    if problems:
        return await _resources_page(request, fields, problems, status=422)
    draft = ResourceDraft(fields.title, fields.link, fields.summary, tags_from(fields.tags),
                          as_language(fields.language), source="web")
    resource = await console_of(request).lotse.digest.resources.add(draft, signed_in(request).person)
    raise done("/resources", "resource-added", id=resource.id)


@moderators
async def resource(request: web.Request) -> web.StreamResponse:
    found = await _resource(request)
    fields = ResourceFields(found.title, found.link, found.summary, ", ".join(found.tags), found.language)
    return page(request, "resource_edit.html", section="resources", title_key="resource-title", resource=found,
                fields=fields, problems={}, languages=LANGUAGES)


@moderators
async def edit_resource(request: web.Request) -> web.StreamResponse:
    found = await _resource(request)
    fields = await _resource_fields(request)
    problems = fields.problems()
    if problems:
        return page(request, "resource_edit.html", status=422, section="resources", title_key="resource-title",
                    resource=found, fields=fields, problems=problems, languages=LANGUAGES)
    wanted: dict[str, Any] = {"title": fields.title, "link": fields.link, "summary": fields.summary,
                              "tags": tags_from(fields.tags)}
    await _save(request, console_of(request).lotse.digest.resources, found, wanted, "resource")


@moderators
async def withdraw_resource(request: web.Request) -> web.StreamResponse:
    await _withdraw(request, console_of(request).lotse.digest.resources, await _resource(request), "resource")


async def _resource(request: web.Request) -> Resource:
    found: Resource = await _standing(request, console_of(request).lotse.digest.resources, "resource")
    return found


class Store(Protocol):
    """What resources and events have in common for the console: get, edit and withdraw by number."""

    async def get(self, number: int) -> Any: ...

    async def edit(self, number: int, changes: Mapping[str, Any], by: str) -> Any: ...

    async def withdraw(self, number: int, by: str) -> Any: ...


async def _standing(request: web.Request, store: Store, kind: str) -> Any:
    """The resource or event the address names, unless it does not exist or was withdrawn."""
    number = request.match_info[kind]
    found = await store.get(int(number)) if number.isdigit() else None
    if found is None or found.withdrawn:
        raise web.HTTPNotFound()
    return found


async def _save(request: web.Request, store: Store, found: Resource | Event, wanted: Mapping[str, Any],
                kind: str) -> NoReturn:
    """Store the fields that differ (the store audits and corrects digests); back to the item."""
    changes = {name: value for name, value in wanted.items() if value != getattr(found, name)}
    if changes:
        await store.edit(found.id, changes, signed_in(request).person)
    raise done(f"/{kind}s/{found.id}", f"{kind}-saved" if changes else "unchanged", id=found.id)


async def _withdraw(request: web.Request, store: Store, found: Resource | Event, kind: str) -> NoReturn:
    await store.withdraw(found.id, signed_in(request).person)
    raise done(f"/{kind}s", "withdrawn", title=found.title[:120])


@moderators
async def events(request: web.Request) -> web.StreamResponse:
    return await _events_page(request, EventFields(language=signed_in(request).language))


async def _events_page(request: web.Request, fields: EventFields, problems: dict[str, str] | None = None,
                       status: int = 200) -> web.StreamResponse:
    lotse = console_of(request).lotse
    standing = sorted((event for event in await lotse.digest.events.all() if not event.withdrawn),
                      key=lambda event: event.starts_at, reverse=True)[:LISTED]
    return page(request, "events.html", status=status, section="events", title_key="events-title",
                events=standing, fields=fields, problems=problems or {}, languages=LANGUAGES,
                zone=lotse.settings.digest.schedule.timezone)


async def _event_fields(request: web.Request) -> EventFields:
    form = await form_of(request)
    return EventFields(form.get("title"), form.get("start"), form.get("end"), form.get("place"), form.get("link"),
                       form.get("organiser"), form.get("tags"), form.get("language", "de"))


def _times(request: web.Request, fields: EventFields) -> tuple[dict[str, Any], dict[str, str]]:
    """The event's start, end and all-day flag as the chat reads dates, or what is wrong with them."""
    console = console_of(request)
    now = console.lotse.clock()
    problems: dict[str, str] = {}
    if not fields.title:
        problems["title"] = "problem-title"
    if fields.link and not fields.link.startswith(("https://", "http://")):
        problems["link"] = "problem-link"
    start = parse_moment(fields.start, now, console.zone)
    end = parse_moment(fields.end, now, console.zone) if fields.end else None
    if start is None:
        problems["start"] = "problem-start"
    if fields.end and end is None:
        problems["end"] = "problem-end"
    if start is not None and end is not None and end.at < start.at:
        problems["end"] = "problem-end-before-start"
    if problems or start is None:
        return {}, problems
    ends_at = end.at if end is not None else None
    if start.all_day:
        ends_at = (ends_at or start.at) + timedelta(days=1)
    return {"starts_at": start.at, "ends_at": ends_at, "all_day": start.all_day}, {}


@moderators
async def add_event(request: web.Request) -> web.StreamResponse:
    fields = await _event_fields(request)
    times, problems = _times(request, fields)
    if problems:
        return await _events_page(request, fields, problems, status=422)
    lotse = console_of(request).lotse
    language: Language = as_language(fields.language)
    draft = EventDraft(fields.title, times["starts_at"], times["ends_at"], times["all_day"],
                       lotse.settings.digest.schedule.timezone, fields.place, fields.link, fields.organiser,
                       tags_from(fields.tags), language, source="web")
    event = await lotse.digest.events.add(draft, signed_in(request).person)
    raise done("/events", "event-added", id=event.id)


@moderators
async def event(request: web.Request) -> web.StreamResponse:
    found = await _event(request)
    return page(request, "event_edit.html", section="events", title_key="event-title", event=found,
                fields=_event_form(request, found), problems={}, languages=LANGUAGES)


def _event_form(request: web.Request, found: Event) -> EventFields:
    zone = console_of(request).zone

    def local(moment: datetime | None, all_day: bool) -> str:
        if moment is None:
            return ""
        shown = moment.astimezone(zone)
        return shown.strftime("%Y-%m-%d") if all_day else shown.strftime("%Y-%m-%d %H:%M")

    end = found.ends_at - timedelta(days=1) if found.all_day and found.ends_at else found.ends_at
    return EventFields(found.title, local(found.starts_at, found.all_day), local(end, found.all_day), found.place,
                       found.link, found.organiser, ", ".join(found.tags), found.language)


@moderators
async def edit_event(request: web.Request) -> web.StreamResponse:
    found = await _event(request)
    fields = await _event_fields(request)
    times, problems = _times(request, fields)
    if problems:
        return page(request, "event_edit.html", status=422, section="events", title_key="event-title",
                    event=found, fields=fields, problems=problems, languages=LANGUAGES)
    wanted: dict[str, Any] = {"title": fields.title, **times, "place": fields.place, "link": fields.link,
                              "organiser": fields.organiser, "tags": tags_from(fields.tags)}
    await _save(request, console_of(request).lotse.digest.events, found, wanted, "event")


@moderators
async def withdraw_event(request: web.Request) -> web.StreamResponse:
    await _withdraw(request, console_of(request).lotse.digest.events, await _event(request), "event")


async def _event(request: web.Request) -> Event:
    found: Event = await _standing(request, console_of(request).lotse.digest.events, "event")
    return found


@moderators
async def digests(request: web.Request) -> web.StreamResponse:
    """The configured rooms, and the digest one of them or a subscribed member would get now."""
    lotse = console_of(request).lotse
    room = request.query.get("room", "").strip()
    member = request.query.get("member", "").strip()[:255]
    audience = f"room:{room}" if room else f"member:{member}" if member else ""
    preview = await lotse.digest.job.preview(audience, lotse.clock()) if audience else None
    return page(request, "digests.html", section="digests", title_key="digests-title",
                rooms=lotse.settings.digest.rooms, schedule=lotse.settings.digest.schedule, room=room,
                member=member, audience=audience, preview=preview)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/resources", resources)
    app.router.add_post("/resources", add_resource)
    app.router.add_get("/resources/{resource}", resource)
    app.router.add_post("/resources/{resource}", edit_resource)
    app.router.add_post("/resources/{resource}/withdraw", withdraw_resource)
    app.router.add_get("/events", events)
    app.router.add_post("/events", add_event)
    app.router.add_get("/events/{event}", event)
    app.router.add_post("/events/{event}", edit_event)
    app.router.add_post("/events/{event}/withdraw", withdraw_event)
    app.router.add_get("/digests", digests)
