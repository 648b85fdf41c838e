"""`/mydata` and `/forget`: a member sees everything Lotse stores about them, and can erase it.

The feature knows no table of its own; it asks every `PersonalData` holder the composition root
hands it, so a new feature that stores personal data only has to be added to that list.

Personal data goes to the member alone: asked in a group, Lotse sends it to their private chat
(through the outbox) and says so in the group. It comes as a JSON file where the platform takes
files, otherwise as messages that each hold whole records, every one of them valid JSON.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.dialogues import Dialogues
from bot.messages import Attachment, Capabilities, Choice, Command, PersonId, Reply
from bot.outbox import enqueue
from bot.privacy import PersonalData
from bot.storage.database import Database
from bot.texts import Phrasebook
from bot.turn import Route, Turn
from knowledge.entry import Language

MAX_PART = 3500
"""Characters of JSON per message: below Telegram's 4,096 and comfortable on Matrix."""
FILE_NAMES: Mapping[Language, str] = {"de": "lotse-meine-daten.json", "en": "lotse-my-data.json"}
CONFIRMATION_VALID_FOR = timedelta(minutes=30)

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-mydata": {"de": "Alles, was Lotse über Sie gespeichert hat", "en": "Everything Lotse stores about you"},
    "command-forget": {"de": "Alle Ihre Daten löschen", "en": "Delete all your data"},
    "mydata-intro": {
        "de": "Das ist alles, was Lotse über Sie gespeichert hat ({part} von {parts}):",
        "en": "This is everything Lotse stores about you ({part} of {parts}):",
    },
    "mydata-file": {
        "de": "Im Anhang steht alles, was Lotse über Sie gespeichert hat (als JSON-Datei).",
        "en": "Attached is everything Lotse stores about you (as a JSON file).",
    },
    "mydata-sent-privately": {
        "de": "Ihre Daten zeige ich nicht hier in der Gruppe: Ich schicke sie Ihnen in einem privaten Chat mit "
        "mir. Falls dort nichts ankommt, schreiben Sie mir bitte zuerst privat und senden `/mydata` dort.",
        "en": "I will not show your data here in the group: I am sending it to you in a private chat with me. "
        "If nothing arrives there, please write to me privately first and send `/mydata` there.",
    },
    "forget-confirm": {
        "de": "Soll ich wirklich alles löschen, was ich über Sie gespeichert habe? Profil, Zustimmungen, "
        "Vorstellungen, Spracheinstellung, Bewertungen, Abos, offene Dialoge und die Nachrichten, die ich Ihnen "
        "geschickt habe, werden gelöscht; Ihre Fragen und Ihre Änderungen als Moderator bleiben nur ohne Bezug "
        "zu Ihnen erhalten. Das lässt sich nicht rückgängig machen.",
        "en": "Shall I really delete everything I store about you? Your profile, consents, introductions, "
        "language setting, ratings, subscriptions, open dialogues and the messages I sent you are deleted; your "
        "questions and your changes as a moderator are kept only without any link to you. This cannot be undone.",
    },
    "forget-yes": {"de": "Ja, alles löschen", "en": "Yes, delete everything"},
    "forget-no": {"de": "Nein, behalten", "en": "No, keep it"},
    "forgotten": {
        "de": "Erledigt: Ich habe alles über Sie gelöscht.",
        "en": "Done: I have deleted everything about you.",
    },
    "kept": {"de": "In Ordnung, ich habe nichts gelöscht.", "en": "All right, I have deleted nothing."},
    "forget-expired": {
        "de": "Diese Bestätigung ist abgelaufen. Bitte senden Sie `/forget` noch einmal.",
        "en": "This confirmation has expired. Please send `/forget` again.",
    },
}
PHRASES = Phrasebook(TEXTS)


class PersonalDataRequests:
    """The privacy feature: `/mydata` over all holders, `/forget` after a confirmation."""

    name = "privacy"

    def __init__(self, holders: Sequence[PersonalData], dialogues: Dialogues, database: Database,
                 clock: Callable[[], datetime]) -> None:
        self._holders = list(holders)
        self._dialogues = dialogues
        self._database = database
        self._clock = clock

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("mydata", PHRASES.both("command-mydata")), self._mydata),
            Route(Command("forget", PHRASES.both("command-forget")), self._forget),
        ]

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        parts = action.split(":")
        if parts[1:] == ["keep"]:
            return [Reply(PHRASES.say("kept", turn.language), replaces_prompt=True)]
        if len(parts) == 3 and parts[1] == "forget" and parts[2].isdigit():
            asked = datetime.fromtimestamp(int(parts[2]), self._clock().tzinfo)
            if self._clock() - asked > CONFIRMATION_VALID_FOR:
                return [Reply(PHRASES.say("forget-expired", turn.language), replaces_prompt=True)]
            for holder in self._holders:
                await holder.forget(turn.message.sender.id)
            await self._dialogues.end(turn.message)
            return [Reply(PHRASES.say("forgotten", turn.language), replaces_prompt=True)]
        return turn.reply("choice-expired")

    async def _mydata(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        person = turn.message.sender.id
        now = self._clock()
        document: dict[str, Any] = {"person": person, "generated_at": now.isoformat()}
        for holder in self._holders:
            document[holder.name] = await holder.personal_data(person)
        replies = _as_replies(document, turn.capabilities, turn.language)
        if turn.message.chat.is_direct:
            return replies
        async with self._database.transaction() as session:
            for number, reply in enumerate(replies):
                await enqueue(session, f"privacy:mydata:{person}:{now.timestamp():.0f}:{number}", PersonId(person),
                              reply, now)
        return PHRASES.reply("mydata-sent-privately", turn.language)

    async def _forget(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        stamp = int(self._clock().timestamp())
        choices = (
            Choice(PHRASES.say("forget-yes", turn.language), f"privacy:forget:{stamp}"),
            Choice(PHRASES.say("forget-no", turn.language), "privacy:keep"),
        )
        return [Reply(PHRASES.say("forget-confirm", turn.language), choices)]


def _as_replies(document: dict[str, Any], capabilities: Capabilities, language: Language) -> list[Reply]:
    if capabilities.files:
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        attachment = Attachment(FILE_NAMES[language], "application/json", data)
        return [Reply(PHRASES.say("mydata-file", language), attachment=attachment)]
    parts = split_records(document, min(MAX_PART, capabilities.max_message_length - 200))
    return [
        Reply(PHRASES.say("mydata-intro", language, part=number, parts=len(parts)) + f"\n\n```json\n{part}\n```")
        for number, part in enumerate(parts, start=1)
    ]


def split_records(document: Mapping[str, Any], limit: int) -> list[str]:
    """The document as JSON texts of at most `limit` characters, cut between records, never inside one.

    Each text is a valid JSON object holding a part of the document at its own place (the sections
    and lists it belongs to); together they hold all of it. A single record longer than `limit`
    is the only thing ever cut, between its lines.
    """
    parts: list[str] = []
    current: dict[str, Any] = {}
    for path, value in _records((), document, limit):
        candidate = _merged(copy.deepcopy(current), path, value)
        if not current or len(_dumps(candidate)) <= limit:
            current = candidate
            continue
        parts.append(_dumps(current))
        current = _merged({}, path, value)
    parts.append(_dumps(current))
    return [piece for part in parts for piece in (split_lines(part, limit) if len(part) > limit else [part])]


def _records(path: tuple[str, ...], value: Any, limit: int) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(where, what) fragments of `value` small enough for a message; a list's items come as one-item lists."""
    if len(_dumps(_merged({}, path, value))) <= limit:
        yield path, value
    elif isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _records((*path, str(key)), item, limit)
    elif isinstance(value, list) and value and path:
        for item in value:
            yield path, [item]
    else:
        yield path, value


def _merged(target: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """`target` with `value` put at `path`; list fragments at the same place are joined."""
    if not path:
        target.update(value)
        return target
    place = target
    for key in path[:-1]:
        place = place.setdefault(key, {})
    last = path[-1]
    if isinstance(value, list) and isinstance(place.get(last), list):
        place[last].extend(value)
    else:
        place[last] = value
    return target


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def split_lines(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut between lines (a longer line is cut inside)."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not parts:
        parts.append(current)
    return parts
