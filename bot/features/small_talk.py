"""Small talk: greetings, thanks and "who are you?" get a short friendly reply pointing to what
Lotse can do, instead of "no answer yet" and a place in the moderators' queue.

Only a message that is small talk as a whole is taken; "Hallo, wie sichern wir Daten?" is a question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.messages import Reply
from bot.texts import Phrasebook
from bot.turn import Route, Turn
from knowledge.normaliser import fold

GREETINGS = frozenset({
    "hallo", "hello", "hi", "hey", "moin", "moin moin", "servus", "gruss gott", "gruezi", "guten morgen",
    "guten tag", "guten abend", "good morning", "good afternoon", "good evening", "hallo zusammen",
    "hi there", "hello there", "na",
})
THANKS = frozenset({
    "danke", "danke schoen", "danke sehr", "vielen dank", "herzlichen dank", "besten dank", "merci",
    "thanks", "thank you", "thanks a lot", "thank you very much", "many thanks", "thx", "super danke",
    "ok danke", "okay danke", "prima danke", "cheers",
})
ABOUT = frozenset({
    "wer bist du", "wer sind sie", "was bist du", "was sind sie", "was kannst du", "was koennen sie",
    "was machst du", "was kann ich dich fragen", "was kann ich sie fragen", "wie funktionierst du", "hilfe",
    "who are you", "what are you", "what can you do", "what do you do", "how do you work",
    "what can i ask", "what can i ask you", "help",
})
NAMES = ("lotse", "bot")
"""Ways to address Lotse that may follow a greeting ("Hallo Lotse!")."""

_PUNCTUATION = re.compile(r"[^\w\s]+")

PHRASES = Phrasebook({
    "greeting": {
        "de": "Hallo! Ich bin Lotse. Fragen Sie mich zur Digitalisierung in Ihrer Organisation, zum Beispiel "
        "*Wie erstelle ich ein barrierefreies PDF?* `/help` zeigt, was ich sonst kann.",
        "en": "Hello! I am Lotse. Ask me about digitalisation in your organisation, for example "
        "*How do I make an accessible PDF?* `/help` shows what else I can do.",
    },
    "thanks": {
        "de": "Gern geschehen! Fragen Sie jederzeit wieder; `/help` zeigt, was ich sonst kann.",
        "en": "You are welcome! Ask again any time; `/help` shows what else I can do.",
    },
    "about": {
        "de": "Ich bin Lotse, ein Assistent für Digitallotsinnen und -lotsen. Ich beantworte Fragen aus der "
        "Wissensbasis der Community, stelle Sie auf Wunsch Menschen mit denselben Herausforderungen vor "
        "(`/profile`) und schicke Neuigkeiten und Termine (`/digest`). `/help` zeigt alle Befehle.",
        "en": "I am Lotse, an assistant for digital pilots. I answer questions from the community's knowledge "
        "base, introduce you to people with the same challenges if you like (`/profile`) and send news and "
        "events (`/digest`). `/help` shows every command.",
    },
})


def kind_of(text: str) -> str | None:
    """"greeting", "thanks" or "about" when the whole message is small talk of that kind, else None."""
    words = _PUNCTUATION.sub(" ", fold(text)).split()
    while words and words[-1] in NAMES:
        words.pop()
    said = " ".join(words)
    kinds: Mapping[str, frozenset[str]] = {"greeting": GREETINGS, "thanks": THANKS, "about": ABOUT}
    for kind, phrases in kinds.items():
        if said in phrases:
            return kind
    return None


class SmallTalk:
    """Takes free text that is small talk as a whole; everything else goes on to the FAQ."""

    name = "small_talk"

    def routes(self) -> Sequence[Route]:
        return []

    async def on_text(self, turn: Turn) -> Sequence[Reply] | None:
        kind = kind_of(turn.text)
        if kind is None:
            return None
        return PHRASES.reply(kind, turn.language)
