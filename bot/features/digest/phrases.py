"""Everything the digest feature says, in German (addressing people as "Sie") and English."""

from __future__ import annotations

from bot.texts import Phrasebook

PHRASES = Phrasebook({
    # Command menu
    "command-resource": {"de": "Materialien pflegen (Moderation)", "en": "Curate resources (moderators)"},
    "command-resources": {"de": "Neueste Materialien, optional zu einem Thema",
                          "en": "Latest resources, optionally on one tag"},
    "command-event": {"de": "Termine pflegen (Moderation) oder als Kalenderdatei holen",
                      "en": "Curate events (moderators) or get one as a calendar file"},
    "command-events": {"de": "Kommende Termine", "en": "Upcoming events"},
    "command-digest": {"de": "Digest abonnieren: wöchentlich, monatlich oder aus",
                       "en": "Subscribe to the digest: weekly, monthly or off"},
    # Digest
    "digest-title": {"de": "**Lotse-Digest** · {period}", "en": "**Lotse digest** · {period}"},
    "section-yours": {"de": "**Zu Ihren Themen**", "en": "**On your topics**"},
    "section-resources": {"de": "**Neue Materialien**", "en": "**New resources**"},
    "section-events": {"de": "**Termine der nächsten {weeks} Wochen**", "en": "**Events in the next {weeks} weeks**"},
    "section-answers": {"de": "**Neu in der Wissensbasis**", "en": "**New in the knowledge base**"},
    "more-resources": {"de": "… und {count} weitere: `/resources`", "en": "… and {count} more: `/resources`"},
    "more-events": {"de": "… und {count} weitere: `/events`", "en": "… and {count} more: `/events`"},
    "more-answers": {"de": "… und {count} weitere Antworten", "en": "… and {count} more answers"},
    "nothing-new": {"de": "Diesmal gibt es nichts Neues.", "en": "Nothing new this time."},
    "member-footer": {"de": "Ändern oder abbestellen: `/digest`", "en": "Change or unsubscribe: `/digest`"},
    "correction-withdrawn": {
        "de": "**Korrektur:** „{title}“ aus einem früheren Digest wurde zurückgezogen.",
        "en": "**Correction:** “{title}” from an earlier digest has been withdrawn.",
    },
    "correction-changed": {
        "de": "**Korrektur:** „{title}“ aus einem früheren Digest wurde geändert:\n\n{line}",
        "en": "**Correction:** “{title}” from an earlier digest has changed:\n\n{line}",
    },
    "reminder": {"de": "**Erinnerung:** Morgen findet statt:\n\n{line}", "en": "**Reminder:** Tomorrow:\n\n{line}"},
    "feed-broken": {
        "de": "Der Feed {url} kann nicht gelesen werden ({error}). Ich melde mich erst wieder, wenn er "
        "funktioniert.",
        "en": "The feed {url} cannot be read ({error}). I will not report it again until it works.",
    },
    "feed-recovered": {"de": "Der Feed {url} funktioniert wieder.", "en": "The feed {url} works again."},
    # Moderation of resources and events
    "not-moderator": {
        "de": "Materialien und Termine pflegt das Moderationsteam. Wenn Sie etwas vorschlagen möchten, "
        "schreiben Sie es gern dort.",
        "en": "Resources and events are curated by the moderators. If you would like to suggest "
        "something, please tell them.",
    },
    "resource-usage": {
        "de": "So geht es:\n\n- `/resource add` (geführt) oder `/resource add Titel | https://… | Kurzfassung | "
        "tag1, tag2`\n- `/resource list`, `/resource show ID`\n- `/resource edit ID feld wert` (title, link, "
        "summary, tags)\n- `/resource withdraw ID`",
        "en": "Usage:\n\n- `/resource add` (guided) or `/resource add Title | https://… | summary | tag1, tag2`"
        "\n- `/resource list`, `/resource show ID`\n- `/resource edit ID field value` (title, link, summary, "
        "tags)\n- `/resource withdraw ID`",
    },
    "event-usage": {
        "de": "So geht es:\n\n- `/event add` (geführt) oder `/event add Titel | 12.03.2027 14:00 | 12.03.2027 "
        "16:00 | Ort oder Online-Link | https://… | tag1, tag2`\n- `/event list`, `/event show ID`, "
        "`/event ics ID`\n- `/event edit ID feld wert` (title, start, end, place, link, organiser, tags)\n"
        "- `/event withdraw ID`",
        "en": "Usage:\n\n- `/event add` (guided) or `/event add Title | 12.03.2027 14:00 | 12.03.2027 16:00 | "
        "place or online link | https://… | tag1, tag2`\n- `/event list`, `/event show ID`, `/event ics ID`"
        "\n- `/event edit ID field value` (title, start, end, place, link, organiser, tags)\n"
        "- `/event withdraw ID`",
    },
    "ask-title": {"de": "Wie lautet der Titel? (`/cancel` bricht ab)", "en": "What is the title? (`/cancel` stops)"},
    "ask-link": {"de": "Unter welchem Link ist es zu finden? (https://…)", "en": "What is the link? (https://…)"},
    "ask-summary": {"de": "Eine Kurzfassung in einem Satz? (`-` für keine)",
                    "en": "A one-sentence summary? (`-` for none)"},
    "ask-tags": {"de": "Welche Themen (Tags), durch Kommas getrennt? (`-` für keine)",
                 "en": "Which topics (tags), separated by commas? (`-` for none)"},
    "ask-start": {"de": "Wann beginnt es? Zum Beispiel `12.03.2027 14:00`, `12.03.2027` (ganztägig) oder "
                  "`morgen 10 Uhr`.",
                  "en": "When does it start? For example `12.03.2027 14:00`, `12.03.2027` (all day) or "
                  "`tomorrow 10:00`."},
    "ask-end": {"de": "Wann endet es? (`-` wenn offen)", "en": "When does it end? (`-` if open)"},
    "ask-place": {"de": "Wo findet es statt: Ort oder Online-Link? (`-` für keinen)",
                  "en": "Where does it take place: a place or online link? (`-` for none)"},
    "ask-event-link": {"de": "Link zu weiteren Informationen? (`-` für keinen)",
                       "en": "Link to more information? (`-` for none)"},
    "invalid-link": {"de": "Das sieht nicht nach einem Link aus. Bitte mit https:// beginnen.",
                     "en": "That does not look like a link. Please start with https://."},
    "invalid-date": {"de": "Dieses Datum verstehe ich nicht. Bitte zum Beispiel `12.03.2027 14:00`.",
                     "en": "I do not understand that date. Please write, for example, `12.03.2027 14:00`."},
    "end-before-start": {"de": "Das Ende liegt vor dem Beginn. Bitte noch einmal.",
                         "en": "The end is before the start. Please try again."},
    "missing-title": {"de": "Bitte geben Sie einen Titel an.", "en": "Please give a title."},
    "resource-added": {"de": "Material Nr. {id} gespeichert: {line}", "en": "Resource no. {id} saved: {line}"},
    "event-added": {"de": "Termin Nr. {id} gespeichert: {line}", "en": "Event no. {id} saved: {line}"},
    "changed": {"de": "Geändert: {line}", "en": "Changed: {line}"},
    "unknown-field": {"de": "Dieses Feld gibt es nicht. Möglich sind: {fields}.",
                      "en": "There is no such field. Possible: {fields}."},
    "withdrawn": {"de": "Zurückgezogen: „{title}“. Räume, die es schon im Digest hatten, bekommen eine Korrektur.",
                  "en": "Withdrawn: “{title}”. Rooms that had it in a digest get a correction."},
    "not-found": {"de": "Nr. {id} finde ich nicht.", "en": "I cannot find no. {id}."},
    "no-resources": {"de": "Noch keine Materialien.", "en": "No resources yet."},
    "no-events": {"de": "Keine kommenden Termine.", "en": "No upcoming events."},
    "resources-heading": {"de": "**Neueste Materialien**", "en": "**Latest resources**"},
    "events-heading": {"de": "**Kommende Termine**", "en": "**Upcoming events**"},
    "ics-intro": {"de": "Kalendereintrag für „{title}“: öffnen Sie die Datei, um ihn in Ihren Kalender zu "
                        "übernehmen.",
                  "en": "Calendar entry for “{title}”: open the file to add it to your calendar."},
    "ics-hint": {"de": "Als Kalenderdatei: `/event ics ID`", "en": "As a calendar file: `/event ics ID`"},
    # Subscriptions
    "digest-usage": {
        "de": "`/digest weekly` oder `/digest monthly`, optional mit Themen und Sprache (`/digest weekly "
        "barrierefreiheit en`); `/digest off` bestellt ab; `/digest reminders on|off` schaltet Erinnerungen "
        "am Vortag von Terminen zu Ihren Themen.",
        "en": "`/digest weekly` or `/digest monthly`, optionally with topics and language (`/digest weekly "
        "accessibility en`); `/digest off` unsubscribes; `/digest reminders on|off` switches reminders the "
        "day before events on your topics.",
    },
    "digest-status": {
        "de": "Ihr Digest: {frequency}; Themen: {tags}; Sprache: {language_code}; Erinnerungen: {reminders}.",
        "en": "Your digest: {frequency}; topics: {tags}; language: {language_code}; reminders: {reminders}.",
    },
    "digest-none": {"de": "Sie haben keinen Digest abonniert.", "en": "You have not subscribed to the digest."},
    "frequency-weekly": {"de": "wöchentlich", "en": "weekly"},
    "frequency-monthly": {"de": "monatlich", "en": "monthly"},
    "frequency-off": {"de": "aus", "en": "off"},
    "all-topics": {"de": "alle", "en": "all"},
    "on": {"de": "an", "en": "on"},
    "off": {"de": "aus", "en": "off"},
    "digest-saved": {"de": "Gespeichert. {status}", "en": "Saved. {status}"},
    "stats": {
        "de": "**Digest**\n\n- Materialien: {resources}\n- kommende Termine: {events}\n- Abos: {subscribers}\n"
        "- versandte Digests (30 Tage): {digests}",
        "en": "**Digest**\n\n- resources: {resources}\n- upcoming events: {events}\n- subscriptions: "
        "{subscribers}\n- digests sent (30 days): {digests}",
    },
})
