"""The digest feature in chat: `/resource`, `/resources`, `/event`, `/events`, `/digest`.

Moderators add resources and events guided (one question per step, a dialogue that survives
restarts) or in one line separated by `|`; everybody lists them and manages their subscription.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import DigestSettings
from bot.dialogues import Dialogue, Dialogues
from bot.features.digest.calendar import to_ics
from bot.features.digest.composing import event_line, plain, resource_line
from bot.features.digest.dates import parse_moment
from bot.features.digest.events import EventDraft, Events
from bot.features.digest.model import Occurrence
from bot.features.digest.phrases import PHRASES
from bot.features.digest.resources import ResourceDraft, Resources, tags_from
from bot.features.digest.subscriptions import Subscriptions
from bot.messages import Attachment, Command, Reply
from bot.roles import Roles
from bot.turn import Route, Turn
from knowledge.entry import Language, as_language

STEPS = {
    "resource": ("title", "link", "summary", "tags"),
    "event": ("title", "start", "end", "place", "link", "tags"),
}
QUESTIONS = {"title": "ask-title", "link": "ask-link", "summary": "ask-summary", "tags": "ask-tags",
             "start": "ask-start", "end": "ask-end", "place": "ask-place"}
OPTIONAL = {"summary", "tags", "end", "place"}
LIST_LENGTH = 10


class DigestCommands:
    """Implements the `Feature` protocol for resources, events and digest subscriptions."""

    name = "digest"

    def __init__(self, settings: DigestSettings, resources: Resources, events: Events,
                 subscriptions: Subscriptions, roles: Roles, dialogues: Dialogues,
                 clock: Callable[[], datetime]) -> None:
        self._settings = settings
        self._resources = resources
        self._events = events
        self._subscriptions = subscriptions
        self._roles = roles
        self._dialogues = dialogues
        self._clock = clock
        self._zone = ZoneInfo(settings.schedule.timezone)

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("resource", PHRASES.both("command-resource"), moderators_only=True), self._resource),
            Route(Command("resources", PHRASES.both("command-resources")), self._list_resources),
            Route(Command("event", PHRASES.both("command-event")), self._event),
            Route(Command("events", PHRASES.both("command-events")), self._list_events),
            Route(Command("digest", PHRASES.both("command-digest")), self._digest),
        ]

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        """One answer of a guided `/resource add` or `/event add`."""
        kind, step = dialogue.step.split(":", 1)
        answer = turn.text.strip()
        if answer == "-" and (step in OPTIONAL or kind == "event"):
            answer = ""
        data = dict(dialogue.data)
        problem = self._check(kind, step, answer, data, turn.language)
        if problem is not None:
            return [Reply(problem)]
        steps = STEPS[kind]
        following = steps[steps.index(step) + 1:] if step in steps else ()
        if following:
            await self._dialogues.save(turn.message, Dialogue(self.name, f"{kind}:{following[0]}", data))
            return [Reply(self._question(following[0], kind, turn.language))]
        await self._dialogues.end(turn.message)
        return await self._save(turn, kind, data)

    def _check(self, kind: str, step: str, answer: str, data: dict[str, Any], language: Language) -> str | None:
        """Validate one answer into `data`; the problem in words if it does not fit."""
        say = PHRASES.say
        if step == "title":
            if not answer:
                return say("missing-title", language)
        elif step == "link" and (answer or kind == "resource"):
            if not answer.startswith(("https://", "http://")):
                return say("invalid-link", language)
        elif step in ("start", "end") and (answer or step == "start"):
            moment = parse_moment(answer, self._clock(), self._zone)
            if moment is None:
                return say("invalid-date", language)
            if step == "end" and moment.at < datetime.fromisoformat(data["start"]):
                return say("end-before-start", language)
            answer = moment.at.isoformat()
            if step == "start":
                data["all_day"] = moment.all_day
        data[step] = answer
        return None

    def _question(self, step: str, kind: str, language: Language) -> str:
        key = "ask-event-link" if (kind, step) == ("event", "link") else QUESTIONS[step]
        return PHRASES.say(key, language)

    async def _save(self, turn: Turn, kind: str, data: Mapping[str, Any]) -> Sequence[Reply]:
        by = turn.message.sender.id
        lang = turn.language
        tags = tags_from(data.get("tags", ""))
        if kind == "resource":
            resource = await self._resources.add(
                ResourceDraft(data["title"], data["link"], data.get("summary", ""), tags, lang), by)
            return [Reply(PHRASES.say("resource-added", lang, id=resource.id, line=resource_line(resource, lang)))]
        start = datetime.fromisoformat(data["start"])
        end = datetime.fromisoformat(data["end"]) if data.get("end") else None
        all_day = bool(data.get("all_day"))
        if all_day:
            end = (end or start) + timedelta(days=1)
        event = await self._events.add(EventDraft(
            data["title"], start, end, all_day, self._settings.schedule.timezone, data.get("place", ""),
            data.get("link", ""), turn.message.sender.display_name, tags, lang), by)
        line = event_line(Occurrence(event, event.starts_at, event.ends_at), lang)
        return [Reply(PHRASES.say("event-added", lang, id=event.id, line=line))]

    async def _resource(self, turn: Turn, rest: str) -> Sequence[Reply]:
        return await self._curate(turn, "resource", rest)

    async def _event(self, turn: Turn, rest: str) -> Sequence[Reply]:
        verb, _, argument = rest.partition(" ")
        if verb.lower() in ("list", "show", "ics", ""):
            return await self._look(turn, verb.lower(), argument.strip())
        return await self._curate(turn, "event", rest)

    async def _curate(self, turn: Turn, kind: str, rest: str) -> Sequence[Reply]:
        verb, _, argument = rest.partition(" ")
        verb, argument = verb.lower(), argument.strip()
        if kind == "resource" and verb in ("list", "show", ""):
            return await self._look_resource(turn, verb, argument)
        if verb not in ("add", "edit", "withdraw"):
            return PHRASES.reply(f"{kind}-usage", turn.language)
        if not await self._roles.is_moderator(turn.message.sender.id):
            return PHRASES.reply("not-moderator", turn.language)
        if verb == "add" and not argument:
            await self._dialogues.save(turn.message, Dialogue(self.name, f"{kind}:title", {}))
            return [Reply(PHRASES.say("ask-title", turn.language))]
        if verb == "add":
            return await self._one_line(turn, kind, argument)
        number, _, change = argument.partition(" ")
        if not number.isdigit():
            return PHRASES.reply(f"{kind}-usage", turn.language)
        if verb == "withdraw":
            withdrawn = await (self._resources.withdraw(int(number), turn.message.sender.id) if kind == "resource"
                               else self._events.withdraw(int(number), turn.message.sender.id))
            if withdrawn is None:
                return PHRASES.reply("not-found", turn.language, id=number)
            return PHRASES.reply("withdrawn", turn.language, title=plain(withdrawn.title, 120))
        return await self._edit(turn, kind, int(number), change)

    async def _one_line(self, turn: Turn, kind: str, argument: str) -> Sequence[Reply]:
        parts = [part.strip() for part in argument.split("|")]
        data: dict[str, Any] = {}
        for step, answer in zip(STEPS[kind], parts, strict=False):
            answer = "" if answer == "-" else answer
            problem = self._check(kind, step, answer, data, turn.language)
            if problem is not None:
                return [Reply(problem)]
        missing = [step for step in STEPS[kind][len(parts):] if step not in OPTIONAL and step != "link"]
        if missing or (kind == "resource" and "link" not in data):
            return PHRASES.reply(f"{kind}-usage", turn.language)
        return await self._save(turn, kind, data)

    async def _edit(self, turn: Turn, kind: str, number: int, change: str) -> Sequence[Reply]:
        field, _, value = change.strip().partition(" ")
        field, value = field.lower(), value.strip()
        by, lang = turn.message.sender.id, turn.language
        if kind == "resource":
            if field not in ("title", "link", "summary", "tags"):
                return PHRASES.reply("unknown-field", turn.language, fields="title, link, summary, tags")
            if field == "link" and not value.startswith(("https://", "http://")):
                return PHRASES.reply("invalid-link", turn.language)
            resource = await self._resources.edit(number, {field: tags_from(value) if field == "tags" else value}, by)
            if resource is None:
                return PHRASES.reply("not-found", turn.language, id=number)
            return PHRASES.reply("changed", turn.language, line=resource_line(resource, lang))
        changes: dict[str, Any] = {}
        if field in ("start", "end"):
            moment = parse_moment(value, self._clock(), self._zone)
            if moment is None:
                return PHRASES.reply("invalid-date", turn.language)
            changes["starts_at" if field == "start" else "ends_at"] = moment.at
            if field == "start":
                changes["all_day"] = moment.all_day
        elif field in ("title", "place", "link", "organiser"):
            changes[field] = value
        elif field == "tags":
            changes["tags"] = tags_from(value)
        else:
            return PHRASES.reply("unknown-field", turn.language,
                                 fields="title, start, end, place, link, organiser, tags")
        event = await self._events.edit(number, changes, by)
        if event is None:
            return PHRASES.reply("not-found", turn.language, id=number)
        line = event_line(Occurrence(event, event.starts_at, event.ends_at), lang)
        return PHRASES.reply("changed", turn.language, line=line)

    async def _look_resource(self, turn: Turn, verb: str, argument: str) -> Sequence[Reply]:
        if verb == "show" and argument.isdigit():
            resource = await self._resources.get(int(argument))
            if resource is None or resource.withdrawn:
                return PHRASES.reply("not-found", turn.language, id=argument)
            return [Reply(f"{resource.id}. {resource_line(resource, turn.language)[2:]}")]
        return await self._list_resources(turn, "")

    async def _look(self, turn: Turn, verb: str, argument: str) -> Sequence[Reply]:
        if verb in ("show", "ics") and argument.isdigit():
            event = await self._events.get(int(argument))
            if event is None or event.withdrawn:
                return PHRASES.reply("not-found", turn.language, id=argument)
            if verb == "ics":
                calendar = Attachment(f"lotse-event-{event.id}.ics", "text/calendar", to_ics([event], self._clock()))
                intro = PHRASES.say("ics-intro", turn.language, title=plain(event.title, 120))
                return [Reply(intro, attachment=calendar)]
            line = event_line(Occurrence(event, event.starts_at, event.ends_at), turn.language)
            return [Reply(f"{event.id}. {line[2:]}\n\n{PHRASES.say('ics-hint', turn.language)}")]
        return await self._list_events(turn, "")

    async def _list_resources(self, turn: Turn, rest: str) -> Sequence[Reply]:
        tag = tags_from(rest)[0] if tags_from(rest) else None
        resources = await self._resources.latest(tag, LIST_LENGTH)
        if not resources:
            return PHRASES.reply("no-resources", turn.language)
        lines = [f"- {r.id}. {resource_line(r, turn.language)[2:]}" for r in resources]
        return [Reply(PHRASES.say("resources-heading", turn.language) + "\n\n" + "\n".join(lines))]

    async def _list_events(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        now = self._clock()
        occurrences = await self._events.upcoming(now, now + timedelta(weeks=self._settings.events_weeks * 2))
        if not occurrences:
            return PHRASES.reply("no-events", turn.language)
        lines = [f"- {o.event.id}. {event_line(o, turn.language)[2:]}" for o in occurrences[:LIST_LENGTH]]
        hint = PHRASES.say("ics-hint", turn.language)
        return [Reply(PHRASES.say("events-heading", turn.language) + "\n\n" + "\n".join(lines) + "\n\n" + hint)]

    async def _digest(self, turn: Turn, rest: str) -> Sequence[Reply]:
        """`/digest weekly|monthly|off [tags…] [de|en]`, `/digest reminders on|off`, `/digest` shows."""
        person = turn.message.sender.id
        words = rest.split()
        current = await self._subscriptions.get(person)
        if not words:
            if current is None:
                return [Reply(PHRASES.say("digest-none", turn.language) + "\n\n" + PHRASES.say("digest-usage",
                                                                                          turn.language))]
            return [Reply(self._status(current.frequency, current.tags, current.language, current.reminders,
                                       turn.language))]
        head = words[0].lower()
        if head == "reminders" and len(words) == 2 and words[1].lower() in ("on", "off", "an", "aus"):
            wanted = words[1].lower() in ("on", "an")
            saved = await self._subscriptions.save(
                person, current.frequency if current else "off", current.tags if current else (),
                current.language if current else turn.language, reminders=wanted)
        elif head in ("weekly", "monthly", "off", "wöchentlich", "monatlich", "aus"):
            frequency = {"wöchentlich": "weekly", "monatlich": "monthly", "aus": "off"}.get(head, head)
            languages = [w.lower() for w in words[1:] if w.lower() in ("de", "en")]
            tags = tags_from(",".join(w for w in words[1:] if w.lower() not in ("de", "en")))
            language: Language = as_language(languages[-1] if languages else turn.language)
            saved = await self._subscriptions.save(person, frequency, tags, language)
        else:
            return PHRASES.reply("digest-usage", turn.language)
        status = self._status(saved.frequency, saved.tags, saved.language, saved.reminders, turn.language)
        return PHRASES.reply("digest-saved", turn.language, status=status)

    def _status(self, frequency: str, tags: Sequence[str], language: str, reminders: bool, lang: Language) -> str:
        say = PHRASES.say
        return say("digest-status", lang, frequency=say(f"frequency-{frequency}", lang),
                   tags=", ".join(tags) or say("all-topics", lang), language_code=language,
                   reminders=say("on" if reminders else "off", lang))

