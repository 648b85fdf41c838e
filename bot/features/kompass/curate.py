"""`/provider` and `/offer` for moderators: add (guided or in one message), edit, withdraw, restore,
show, list, history, revert, checked, and `/offer stale`.

What a moderator types is read field by field with the same rules in every path: names and
postcodes become region keys, words become topic ids, `31.03.2027` a date. Every change goes through
the catalogue, which writes a version and an audit record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from bot.dialogues import Dialogue, Dialogues
from bot.features.curation.form import new_id
from bot.features.digest.composing import plain
from bot.features.kompass.catalogue import Catalogue, Stored
from bot.features.kompass.directory import Directory, day
from bot.features.kompass.files import URL, kind_of
from bot.features.kompass.model import (
    COSTS,
    FUNDING_TYPES,
    NATIONWIDE,
    OFFER_KINDS,
    PROVIDER_KINDS,
    Item,
    Offer,
    Provider,
)
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.questions import audience_of
from bot.features.kompass.regions import normal
from bot.messages import Reply
from bot.turn import Turn
from knowledge.entry import LANGUAGES, Language

FEATURE = "kompass"
GUIDED = {"provider": ("name", "kind", "website", "area"), "offer": ("provider", "kind", "title", "topics", "area")}
EDITABLE = {
    "provider": ("name", "kind", "website", "contact", "contact_person", "area", "description", "source", "licence",
                 "checked"),
    "offer": ("provider", "kind", "title", "description", "topics", "audiences", "area", "cost", "languages", "link",
              "eligible", "funding_type", "deadlines", "source", "licence", "checked"),
}
REQUIRED = {"provider": ("name", "kind"), "offer": ("provider", "kind", "title")}
SKIP = frozenset({"-", "–", "keine", "kein", "none", "nein", "no"})
LIST_LENGTH = 30
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class FieldProblem(ValueError):
    """A value that does not fit its field; the message is a phrasebook key."""


class Curating:
    """The moderators' commands of the Kompass (the role is checked by the feature before)."""

    def __init__(self, catalogue: Catalogue, directory: Directory, dialogues: Dialogues,
                 is_member: Callable[[str], bool]) -> None:
        self._catalogue = catalogue
        self._directory = directory
        self._dialogues = dialogues
        self._is_member = is_member

    async def run(self, turn: Turn, kind: str, rest: str) -> Sequence[Reply]:
        verb, _, argument = rest.strip().partition(" ")
        verb, argument = verb.casefold(), argument.strip()
        if verb == "add":
            if not argument:
                await self._dialogues.save(turn.message, Dialogue(FEATURE, f"{kind}:{GUIDED[kind][0]}", {}))
                return [Reply(self._ask(kind, GUIDED[kind][0], turn.language))]
            return await self._add_in_one(turn, kind, argument)
        if verb == "list":
            return await self._list(turn, kind, argument)
        if verb == "stale" and kind == "offer":
            return await self._stale(turn)
        item_id, _, change = argument.partition(" ")
        if verb not in ("edit", "withdraw", "restore", "show", "history", "revert", "checked") or not item_id:
            return PHRASES.reply(f"{kind}-usage", turn.language)
        by = turn.message.sender.id
        if verb == "show":
            stored = await self._catalogue.get(kind, item_id)
            return [Reply(self.describe(stored, turn.language))] if stored else self._missing(turn, kind, item_id)
        if verb == "history":
            return await self._history(turn, kind, item_id)
        if verb == "revert":
            number = change.strip()
            version = await self._catalogue.revert(kind, item_id, int(number), by) if number.isdigit() else None
            if version is None:
                return PHRASES.reply("no-version", turn.language, id=item_id, version=number or "?")
            return PHRASES.reply("saved", turn.language, kind=kind, id=item_id, version=version)
        if verb in ("withdraw", "restore"):
            done = await (self._catalogue.withdraw(kind, item_id, by) if verb == "withdraw"
                          else self._catalogue.restore(kind, item_id, by))
            if done is None:
                return self._missing(turn, kind, item_id)
            return PHRASES.reply("withdrawn" if verb == "withdraw" else "restored", turn.language, id=item_id)
        if verb == "checked":
            stored = await self._catalogue.mark_checked(kind, item_id, by, self._directory.today())
            if stored is None:
                return self._missing(turn, kind, item_id)
            return PHRASES.reply("marked-checked", turn.language, id=item_id,
                                 date=day(self._directory.today(), turn.language))
        return await self._edit(turn, kind, item_id, change)

    async def step(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        """One answer of a guided `/provider add` or `/offer add`."""
        kind, field = dialogue.step.split(":", 1)
        data = dict(dialogue.data)
        answer = turn.text.strip()
        if answer.casefold() not in SKIP or field in REQUIRED[kind]:
            try:
                data[field] = await self._value(kind, field, answer)
            except FieldProblem as problem:
                return [Reply(PHRASES.say(str(problem), turn.language) + "\n\n" +
                              self._ask(kind, field, turn.language))]
        steps = GUIDED[kind]
        following = steps[steps.index(field) + 1:]
        if following:
            await self._dialogues.save(turn.message, Dialogue(FEATURE, f"{kind}:{following[0]}", data))
            return [Reply(self._ask(kind, following[0], turn.language))]
        await self._dialogues.end(turn.message)
        return await self._create(turn, kind, data)

    def describe(self, stored: Stored, language: Language) -> str:
        """Everything stored about a provider or offer, for moderators."""
        item = stored.item
        lines = [f"**{plain(_title(item), 120)}** (`{item.id}`, v{stored.version}"
                 f"{', ' + PHRASES.say('withdrawn-mark', language) if stored.withdrawn else ''})"]
        for field in EDITABLE[kind_of(item)]:
            value = getattr(item, field)
            if value in ("", (), None):
                continue
            lines.append(f"- {field}: {self._shown(field, value, language)}")
        return "\n".join(lines)

    async def _add_in_one(self, turn: Turn, kind: str, argument: str) -> Sequence[Reply]:
        """`/offer add provider=… | kind=… | title=… | topics=…`: named fields in any order."""
        data: dict[str, Any] = {}
        for part in (piece.strip() for piece in argument.split("|")):
            field, equals, value = part.partition("=")
            field = field.strip().casefold()
            if not equals or field not in EDITABLE[kind]:
                return PHRASES.reply(f"{kind}-usage", turn.language)
            try:
                data[field] = await self._value(kind, field, value.strip())
            except FieldProblem as problem:
                return PHRASES.reply(str(problem), turn.language)
        if any(field not in data for field in REQUIRED[kind]):
            return PHRASES.reply(f"{kind}-usage", turn.language)
        return await self._create(turn, kind, data)

    async def _create(self, turn: Turn, kind: str, data: Mapping[str, Any]) -> Sequence[Reply]:
        taken = {stored.item.id for stored in await self._catalogue.list(kind, include_withdrawn=True)}
        values = dict(data)
        values.setdefault("checked", self._directory.today())
        values.setdefault("source", values.get("website") or values.get("link") or "chat")
        item: Item
        if kind == "provider":
            item = Provider(id=new_id(values["name"], taken), **values)
        else:
            item = Offer(id=new_id(values["title"], taken), **values)
        version = await self._catalogue.save(item, turn.message.sender.id)
        return PHRASES.reply("saved", turn.language, kind=kind, id=item.id, version=version)

    async def _edit(self, turn: Turn, kind: str, item_id: str, change: str) -> Sequence[Reply]:
        field, _, value = change.strip().partition(" ")
        field = field.casefold()
        stored = await self._catalogue.get(kind, item_id)
        if stored is None or stored.withdrawn:
            return self._missing(turn, kind, item_id)
        if field not in EDITABLE[kind]:
            return PHRASES.reply("unknown-field", turn.language, fields=", ".join(EDITABLE[kind]))
        cleared = value.strip().casefold() in SKIP and field not in REQUIRED[kind]
        try:
            new_value = _empty(stored.item, field) if cleared else await self._value(kind, field, value.strip())
        except FieldProblem as problem:
            return PHRASES.reply(str(problem), turn.language)
        version = await self._catalogue.save(replace(stored.item, **{field: new_value}), turn.message.sender.id)
        return PHRASES.reply("saved", turn.language, kind=kind, id=item_id, version=version)

    async def _list(self, turn: Turn, kind: str, argument: str) -> Sequence[Reply]:
        stored = await self._catalogue.list(kind)
        if kind == "offer" and argument:
            stored = [entry for entry in stored if isinstance(entry.item, Offer) and entry.item.provider == argument]
        if not stored:
            return PHRASES.reply("nothing-listed", turn.language)
        lines = [f"- `{entry.item.id}` {plain(_title(entry.item), 90)}" for entry in stored[:LIST_LENGTH]]
        if len(stored) > LIST_LENGTH:
            lines.append("- " + PHRASES.say("more-listed", turn.language, count=len(stored) - LIST_LENGTH))
        return [Reply("\n".join(lines))]

    async def _stale(self, turn: Turn) -> Sequence[Reply]:
        before = self._directory.stale_before()
        stale = [entry for kind in ("provider", "offer") for entry in await self._catalogue.list(kind)
                 if entry.item.checked < before]
        if not stale:
            return PHRASES.reply("nothing-stale", turn.language)
        lines = [f"- `/{entry.kind} show {entry.item.id}` {plain(_title(entry.item), 80)} · "
                 f"{PHRASES.say('checked', turn.language, date=day(entry.item.checked, turn.language))}"
                 for entry in sorted(stale, key=lambda entry: entry.item.checked)[:LIST_LENGTH]]
        return [Reply(PHRASES.say("stale-list", turn.language, count=len(stale)) + "\n\n" + "\n".join(lines))]

    async def _history(self, turn: Turn, kind: str, item_id: str) -> Sequence[Reply]:
        versions = await self._catalogue.versions(kind, item_id)
        if not versions:
            return self._missing(turn, kind, item_id)
        lines = [f"- v{version.version} · {version.changed_at:%Y-%m-%d %H:%M} UTC · {plain(version.changed_by, 60)}"
                 for version in versions[-LIST_LENGTH:]]
        return [Reply(PHRASES.say("history", turn.language, id=item_id) + "\n\n" + "\n".join(lines))]

    async def _value(self, kind: str, field: str, text: str) -> Any:
        """A typed value read into the field's form; raises `FieldProblem`."""
        if not text:
            raise FieldProblem("value-missing")
        if field in ("website", "link") and not URL.match(text):
            raise FieldProblem("invalid-link")
        if field == "kind":
            return _pick(text, PROVIDER_KINDS if kind == "provider" else OFFER_KINDS, "invalid-kind")
        if field == "cost":
            return _pick(text, COSTS, "invalid-cost")
        if field == "funding_type":
            return _pick(text, FUNDING_TYPES, "invalid-funding-type")
        if field == "area":
            keys = self._directory.regions.area(text)
            if keys is None:
                raise FieldProblem("invalid-area")
            return keys
        if field == "topics":
            found = [topic for piece in re.split(r"[,;]", text) for topic in self._directory.topics.find(piece)[:1]]
            if not found:
                raise FieldProblem("invalid-topics")
            return tuple(dict.fromkeys(found))
        if field == "audiences":
            return _audiences(text)
        if field == "languages":
            languages = tuple(code for code in LANGUAGES if code in text.casefold().replace(",", " ").split())
            if not languages:
                raise FieldProblem("invalid-languages")
            return languages
        if field in ("checked", "deadlines"):
            dates = tuple(sorted({_date(piece) for piece in re.split(r"[,;\s]+", text) if piece}))
            return dates[0] if field == "checked" else dates
        if field == "contact_person" and not self._is_member(text):
            raise FieldProblem("invalid-person")
        if field == "provider" and kind == "offer":
            provider = await self._catalogue.get("provider", text)
            if provider is None or provider.withdrawn:
                raise FieldProblem("invalid-provider")
        return text

    def _ask(self, kind: str, field: str, language: Language) -> str:
        return PHRASES.say(f"ask-{kind}-{field}", language)

    def _shown(self, field: str, value: Any, language: Language) -> str:
        if field == "area":
            return self._directory.area_name(value, language) + f" ({', '.join(value)})"
        if field == "topics":
            return self._directory.topics.labels(value, language)
        if isinstance(value, date):
            return day(value, language)
        if isinstance(value, tuple):
            return ", ".join(day(part, language) if isinstance(part, date) else str(part) for part in value)
        return plain(str(value), 300)

    def _missing(self, turn: Turn, kind: str, item_id: str) -> list[Reply]:
        return PHRASES.reply(f"no-{kind}", turn.language, id=plain(item_id, 80))


def _title(item: Item) -> str:
    return item.name if isinstance(item, Provider) else item.title


def _empty(item: Item, field: str) -> Any:
    default = type(item).__dataclass_fields__[field].default
    return (NATIONWIDE,) if field == "area" and isinstance(item, Provider) else default


def _pick(text: str, choices: Mapping[str, Mapping[Language, str]], problem: str) -> str:
    wanted = normal(text)
    for code, labels in choices.items():
        if wanted in (normal(code), *(normal(label) for label in labels.values())):
            return code
    for code, labels in choices.items():
        if any(normal(label).startswith(wanted) or wanted.startswith(normal(code)) for label in labels.values()):
            return code
    raise FieldProblem(problem)


def _audiences(text: str) -> tuple[str, ...]:
    found = [audience_of(part) for part in re.split(r"[,;]", text) if part.strip()]
    if not found or None in found:
        raise FieldProblem("invalid-audiences")
    return tuple(dict.fromkeys(audience for audience in found if audience is not None))


def _date(text: str) -> date:
    match = _DATE.match(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise FieldProblem("invalid-date") from None

