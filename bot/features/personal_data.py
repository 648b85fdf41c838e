"""`/mydata` and `/forget`: a member sees everything Lotse stores about them, and can erase it.

The feature knows no table of its own; it asks every `PersonalData` holder the composition root
hands it, so a new feature that stores personal data only has to be added to that list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.dialogues import Dialogues
from bot.messages import Choice, Command, Reply
from bot.privacy import PersonalData
from bot.texts import Phrasebook
from bot.turn import Route, Turn
from knowledge.entry import Language

MAX_PART = 3500
"""Characters of JSON per message: below Telegram's 4,096 and comfortable on Matrix."""
CONFIRMATION_VALID_FOR = timedelta(minutes=30)

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-mydata": {"de": "Alles, was Lotse über Sie gespeichert hat", "en": "Everything Lotse stores about you"},
    "command-forget": {"de": "Alle Ihre Daten löschen", "en": "Delete all your data"},
    "mydata-intro": {
        "de": "Das ist alles, was Lotse über Sie gespeichert hat ({part} von {parts}):",
        "en": "This is everything Lotse stores about you ({part} of {parts}):",
    },
    "forget-confirm": {
        "de": "Soll ich wirklich alles löschen, was ich über Sie gespeichert habe? Profil, Zustimmungen, "
        "Vorstellungen, Spracheinstellung und Bewertungen werden gelöscht; Ihre Fragen bleiben nur ohne "
        "Bezug zu Ihnen erhalten. Das lässt sich nicht rückgängig machen.",
        "en": "Shall I really delete everything I store about you? Your profile, consents, introductions, "
        "language setting and ratings are deleted; your questions are kept only without any link to you. "
        "This cannot be undone.",
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

    def __init__(self, holders: Sequence[PersonalData], dialogues: Dialogues, clock: Callable[[], datetime]) -> None:
        self._holders = list(holders)
        self._dialogues = dialogues
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
        document: dict[str, Any] = {"person": person, "generated_at": self._clock().isoformat()}
        for holder in self._holders:
            document[holder.name] = await holder.personal_data(person)
        parts = split_lines(json.dumps(document, ensure_ascii=False, indent=2), MAX_PART)
        return [
            Reply(PHRASES.say("mydata-intro", turn.language, part=number, parts=len(parts)) + f"\n\n```\n{part}\n```")
            for number, part in enumerate(parts, start=1)
        ]

    async def _forget(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        stamp = int(self._clock().timestamp())
        choices = (
            Choice(PHRASES.say("forget-yes", turn.language), f"privacy:forget:{stamp}"),
            Choice(PHRASES.say("forget-no", turn.language), "privacy:keep"),
        )
        return [Reply(PHRASES.say("forget-confirm", turn.language), choices)]


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
