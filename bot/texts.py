"""Everything Lotse says to people, in German and English, looked up by key."""

from __future__ import annotations

from collections.abc import Mapping

from bot.messages import Reply
from knowledge.entry import Language


class Phrasebook:
    """A feature's texts, each in German and English, looked up by key."""

    def __init__(self, texts: Mapping[str, Mapping[Language, str]]) -> None:
        self._texts = texts

    def say(self, key: str, language: Language, **values: object) -> str:
        """The text for `key` in `language`, with `{placeholders}` filled in."""
        text = self._texts[key][language]
        return text.format(**values) if values else text

    def reply(self, key: str, language: Language, **values: object) -> list[Reply]:
        """One reply saying the text for `key`."""
        return [Reply(self.say(key, language, **values))]

    def both(self, key: str) -> dict[str, str]:
        """The text for `key` in every language, e.g. for a platform's command menu."""
        return {language: text for language, text in self._texts[key].items()}


TEXTS: Mapping[str, Mapping[Language, str]] = {
    "welcome": {
        "de": "Hallo, ich bin **Lotse**. Ich beantworte Fragen rund um die Digitalisierung in Ihrer "
        "Organisation aus der Wissensbasis unserer Community. Stellen Sie Ihre Frage einfach in "
        "eigenen Worten.",
        "en": "Hello, I am **Lotse**. I answer questions about digitalisation in your organisation "
        "from our community's knowledge base. Just ask in your own words.",
    },
    "help": {
        "de": "Schreiben Sie mir Ihre Frage, zum Beispiel: *Wie erstelle ich ein barrierefreies PDF?*\n\n"
        "Wenn ich unsicher bin, biete ich passende Fragen zur Auswahl an; wenn ich etwas nicht weiß, "
        "sage ich es und gebe die Frage an das Moderationsteam weiter.\n\nBefehle:\n\n{commands}",
        "en": "Send me your question, for example: *How do I make an accessible PDF?*\n\n"
        "When I am unsure I offer matching questions to choose from; when I do not know, I say so "
        "and pass the question on to the moderators.\n\nCommands:\n\n{commands}",
    },
    "help-terminal": {
        "de": "Im Terminal: Eine Auswahl treffen Sie mit ihrer Nummer (`1`, `2`, …); eine Antwort bewerten Sie "
        "mit `+` (hilfreich) oder `-` (nicht hilfreich). `/quit` oder Strg-D beendet den Chat.",
        "en": "In the terminal: pick a choice by its number (`1`, `2`, …); rate an answer with `+` (helpful) "
        "or `-` (not helpful). `/quit` or Ctrl-D ends the chat.",
    },
    "console-greeting": {
        "de": "Hallo, ich bin **Lotse**. Stellen Sie Ihre Frage in eigenen Worten. `/help` zeigt, was ich kann; "
        "`/lang en` for English; `/quit` oder Strg-D beendet den Chat.",
        "en": "Hello, I am **Lotse**. Ask your question in your own words. `/help` shows what I can do; "
        "`/lang de` für Deutsch; `/quit` or Ctrl-D ends the chat.",
    },
    "help-moderators": {
        "de": "Für Moderatorinnen und Moderatoren:\n\n{commands}",
        "en": "For moderators:\n\n{commands}",
    },
    "language-chosen": {
        "de": "In Ordnung, ich antworte Ihnen ab jetzt auf Deutsch.",
        "en": "All right, I will answer you in English from now on.",
    },
    "language-usage": {
        "de": "Bitte wählen Sie eine Sprache: `/lang de` für Deutsch oder `/lang en` für Englisch.",
        "en": "Please choose a language: `/lang de` for German or `/lang en` for English.",
    },
    "did-you-mean": {
        "de": "Da bin ich mir nicht sicher. Meinten Sie eine dieser Fragen?",
        "en": "I am not sure about that. Did you mean one of these questions?",
    },
    "none-of-these": {"de": "Nichts davon", "en": "None of these"},
    "unknown": {
        "de": "Darauf habe ich noch keine Antwort. Ich habe Ihre Frage für das Moderationsteam "
        "notiert, damit die Wissensbasis ergänzt werden kann.",
        "en": "I do not have an answer to that yet. I have noted your question for the moderators "
        "so that the knowledge base can be extended.",
    },
    "unknown-not-recorded": {
        "de": "Darauf habe ich noch keine Antwort.",
        "en": "I do not have an answer to that yet.",
    },
    "noted": {
        "de": "Danke! Ich habe Ihre Frage für das Moderationsteam notiert.",
        "en": "Thank you! I have noted your question for the moderators.",
    },
    "thanks-for-feedback": {
        "de": "Danke für Ihre Rückmeldung!",
        "en": "Thank you for your feedback!",
    },
    "no-open-choices": {
        "de": "Ich habe Ihnen gerade keine Auswahl angeboten. Stellen Sie Ihre Frage gern in Worten.",
        "en": "I have not offered you any choices just now. Feel free to ask your question in words.",
    },
    "choice-out-of-range": {
        "de": "Eine Auswahl {number} gibt es nicht. Bitte antworten Sie mit einer Zahl von 1 bis {count}.",
        "en": "There is no choice {number}. Please answer with a number from 1 to {count}.",
    },
    "not-a-question": {
        "de": "Das habe ich nicht als Frage erkannt. Schreiben Sie mir Ihre Frage in Worten, zum Beispiel "
        "*Wie sichern wir unsere Daten?* `/help` zeigt, was ich kann.",
        "en": "I did not recognise that as a question. Write your question in words, for example "
        "*How do we back up our data?* `/help` shows what I can do.",
    },
    "choice-expired": {
        "de": "Diese Auswahl gilt nicht mehr. Stellen Sie Ihre Frage gern noch einmal.",
        "en": "This choice is no longer valid. Feel free to ask your question again.",
    },
    "unknown-command": {
        "de": "Den Befehl `/{command}` kenne ich nicht. `/help` zeigt, was ich kann.",
        "en": "I do not know the command `/{command}`. `/help` shows what I can do.",
    },
    "too-long": {
        "de": "Ihre Nachricht ist mit {length} Zeichen zu lang für mich. Bitte fassen Sie Ihre Frage "
        "in höchstens {limit} Zeichen.",
        "en": "Your message of {length} characters is too long for me. Please put your question in "
        "at most {limit} characters.",
    },
    "not-for-you": {
        "de": "Diese Auswahl war für jemand anderen gedacht. Fragen Sie gern selbst, dann bekommen Sie Ihre eigene.",
        "en": "This choice was meant for someone else. Feel free to ask yourself, and you will get your own.",
    },
    "throttled": {
        "de": "Sie schreiben mir gerade sehr viele Nachrichten. Damit alle anderen auch rasch eine Antwort "
        "bekommen, beantworte ich Ihre nächsten Nachrichten erst in etwa {seconds} Sekunden wieder; was Sie bis "
        "dahin schreiben, lasse ich liegen.",
        "en": "You are sending me a great many messages just now. So that everyone else gets a quick answer "
        "too, I will answer your next messages in about {seconds} seconds; what you send until then I leave aside.",
    },
    "apology": {
        "de": "Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es gleich "
        "noch einmal.",
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "other-language-note": {
        "de": "*Diese Antwort gibt es bisher nur auf Englisch.*",
        "en": "*This answer is only available in German so far.*",
    },
    "cancelled": {"de": "Abgebrochen.", "en": "Cancelled."},
    "nothing-to-cancel": {"de": "Es gibt gerade nichts abzubrechen.", "en": "There is nothing to cancel."},
    "not-allowed": {
        "de": "Das dürfen nur Moderatorinnen und Moderatoren.",
        "en": "Only moderators may do that.",
    },
    "command-start": {"de": "Begrüßung und erste Schritte", "en": "Welcome and first steps"},
    "command-help": {"de": "Was Lotse kann", "en": "What Lotse can do"},
    "command-lang": {"de": "Sprache wählen: de oder en", "en": "Choose the language: de or en"},
    "command-cancel": {"de": "Laufenden Dialog abbrechen", "en": "Cancel the current dialogue"},
}


CORE = Phrasebook(TEXTS)
"""What the core itself says; each feature keeps its own phrasebook beside its code."""
say = CORE.say
both = CORE.both
