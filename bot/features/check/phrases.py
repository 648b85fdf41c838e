"""Everything the check says, in German (addressing people as "Sie") and English."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts import Phrasebook
from knowledge.entry import Language

ORG_TYPES: Mapping[str, Mapping[Language, str]] = {
    "municipality": {"de": "Kommunalverwaltung", "en": "Municipal administration"},
    "culture": {"de": "Kultureinrichtung", "en": "Cultural institution"},
    "social": {"de": "Soziale Organisation", "en": "Social organisation"},
    "sme": {"de": "Kleines oder mittleres Unternehmen", "en": "Small or medium-sized company"},
    "other": {"de": "Andere", "en": "Other"},
}

SYSTEMS: Mapping[str, Mapping[Language, str]] = {
    "m365": {"de": "Microsoft 365 / Office", "en": "Microsoft 365 / Office"},
    "google": {"de": "Google Workspace", "en": "Google Workspace"},
    "nextcloud": {"de": "Nextcloud / openDesk", "en": "Nextcloud / openDesk"},
    "dms": {"de": "Dokumentenmanagement / E-Akte", "en": "Document management / e-files"},
    "special": {"de": "Fachverfahren / Branchensoftware", "en": "Specialist or sector software"},
    "crm": {"de": "Adress-, Mitglieder- oder Kundenverwaltung", "en": "Contact, member or customer management"},
    "cms": {"de": "Website-Redaktionssystem", "en": "Website content management"},
    "portal": {"de": "Online-Antragsportal (OZG/EfA)", "en": "Online application portal (OZG/EfA)"},
}

STATE_LABELS: Mapping[str, Mapping[Language, str]] = {
    "n": {"de": "Nein", "en": "No"},
    "p": {"de": "Teilweise", "en": "Partly"},
    "y": {"de": "Ja", "en": "Yes"},
    "u": {"de": "Weiß nicht", "en": "Don't know"},
}

IMPORTANCE_LABELS: Mapping[int, Mapping[Language, str]] = {
    1: {"de": "Weniger wichtig", "en": "Less important"},
    2: {"de": "Wichtig", "en": "Important"},
    3: {"de": "Sehr wichtig", "en": "Very important"},
}

LEVEL_LABELS: Mapping[int, Mapping[Language, str]] = {
    1: {"de": "gering", "en": "low"}, 2: {"de": "mittel", "en": "medium"}, 3: {"de": "hoch", "en": "high"},
}

SYSTEM_KIND_LABELS: Mapping[str, Mapping[Language, str]] = {
    "existing": {"de": "nutzt vorhandenes System", "en": "uses an existing system"},
    "neutral": {"de": "ohne neues System", "en": "no new system"},
    "island": {"de": "neue Insel-Lösung", "en": "new island solution"},
}

STATUS_LABELS: Mapping[str, Mapping[Language, str]] = {
    "open": {"de": "offen", "en": "open"},
    "doing": {"de": "in Arbeit", "en": "in progress"},
    "done": {"de": "erledigt", "en": "done"},
}

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-check": {
        "de": "Digitalisierungscheck starten oder fortsetzen; result, review, share, join CODE, export [pdf]",
        "en": "Start or resume the digitalisation check; result, review, share, join CODE, export [pdf]",
    },
    "command-measures": {
        "de": "Ihre Maßnahmenliste; N, add TITEL, done N, edit N FELD WERT, move N M, drop N",
        "en": "Your list of measures; N, add TITLE, done N, edit N FIELD VALUE, move N M, drop N",
    },
    "ask-org": {
        "de": "Willkommen zum **Digitalisierungscheck**. In etwa zehn Minuten schauen wir, wo Ihre Organisation "
        "steht, und machen daraus eine Maßnahmenliste. Sie können jederzeit aufhören; `/check` setzt später "
        "genau dort fort.\n\nWas für eine Organisation ist es?",
        "en": "Welcome to the **digitalisation check**. In about ten minutes we look at where your organisation "
        "stands and turn that into a list of measures. You can stop at any time; `/check` resumes exactly "
        "there later.\n\nWhat kind of organisation is it?",
    },
    "ask-region": {
        "de": "In welcher Region arbeiten Sie? Schreiben Sie Bundesland oder Landkreis, zum Beispiel `Sachsen`.",
        "en": "Which region do you work in? Write the federal state or district, for example `Saxony`.",
    },
    "region-invalid": {
        "de": "Bitte nennen Sie die Region in höchstens 80 Zeichen.",
        "en": "Please name the region in at most 80 characters.",
    },
    "ask-systems": {
        "de": "Welche Systeme nutzen Sie schon? Maßnahmen sollen darauf aufbauen. Antworten Sie mit Nummern "
        "und/oder eigenen Worten, durch Kommas getrennt (zum Beispiel `1, 4, Zeiterfassung`), oder `-` für "
        "keine.\n\n{list}",
        "en": "Which systems do you already use? Measures should build on them. Answer with numbers and/or your "
        "own words, separated by commas (for example `1, 4, time tracking`), or `-` for none.\n\n{list}",
    },
    "systems-invalid": {
        "de": "Die Nummer {number} steht nicht auf der Liste. Bitte noch einmal.",
        "en": "Number {number} is not on the list. Please try again.",
    },
    "pick-a-number": {
        "de": "Bitte wählen Sie eine der Antworten (die Nummer genügt). `/cancel` pausiert den Check, "
        "`/check` setzt ihn fort.",
        "en": "Please pick one of the answers (the number is enough). `/cancel` pauses the check, "
        "`/check` resumes it.",
    },
    "resumed": {
        "de": "Willkommen zurück, es geht weiter, wo Sie aufgehört haben.",
        "en": "Welcome back, we continue where you stopped.",
    },
    "statement": {
        "de": "**{dimension}** · Aussage {number} von {total}\n\n{text}",
        "en": "**{dimension}** · statement {number} of {total}\n\n{text}",
    },
    "last-time": {
        "de": "Beim letzten Mal: *{answer}*. Stimmt das noch?",
        "en": "Last time: *{answer}*. Still true?",
    },
    "still-true": {"de": "Stimmt noch", "en": "Still true"},
    "ask-importance": {
        "de": "Wie wichtig ist Ihnen das für Ihre Organisation?",
        "en": "How important is this for your organisation?",
    },
    "result": {
        "de": "**Ergebnis Ihres Digitalisierungschecks**\n\n{bars}\n\n{gaps}",
        "en": "**Result of your digitalisation check**\n\n{bars}\n\n{gaps}",
    },
    "result-line": {"de": "`{bar}` {dimension}", "en": "`{bar}` {dimension}"},
    "gaps": {
        "de": "**Die größten Lücken** zwischen Wichtigkeit und Stand:\n{list}",
        "en": "**The largest gaps** between importance and current state:\n{list}",
    },
    "gap-line": {"de": "- **{dimension}**: Lücke {gap} %{requirement}",
                 "en": "- **{dimension}**: gap {gap} %{requirement}"},
    "requirement": {"de": " – Anforderung: {text}", "en": " – requirement: {text}"},
    "no-gaps": {
        "de": "Keine Lücken bei dem, was Ihnen wichtig ist. Ein Blick in `/measures` lohnt trotzdem.",
        "en": "No gaps where it matters to you. `/measures` is still worth a look.",
    },
    "ask-requirement": {
        "de": "Was muss eine künftige Lösung für **{dimension}** leisten? Ein Satz genügt, `-` überspringt.",
        "en": "What must a future solution for **{dimension}** do? One sentence is enough, `-` skips.",
    },
    "requirement-too-long": {
        "de": "Bitte fassen Sie es in höchstens 300 Zeichen.",
        "en": "Please keep it to at most 300 characters.",
    },
    "finished": {
        "de": "Danke! Für Ihre Lücken habe ich {count} Maßnahmen vorgeschlagen: `/measures` zeigt die Liste. "
        "Am {review} erinnere ich Sie an die Überprüfung. Mit `/check share` laden Sie Kolleginnen und "
        "Kollegen ein, mit `/check export` nehmen Sie das Ergebnis mit zur Leitung.",
        "en": "Thank you! I proposed {count} measures for your gaps: `/measures` shows the list. On {review} I "
        "will remind you to review it. `/check share` invites colleagues, `/check export` gives you the "
        "result to take to management.",
    },
    "changes": {
        "de": "**Seit dem letzten Mal:**\n{list}",
        "en": "**Since last time:**\n{list}",
    },
    "change-line": {"de": "- {dimension}: {before} → {after}", "en": "- {dimension}: {before} → {after}"},
    "no-changes": {"de": "Seit dem letzten Mal hat sich nichts verändert.",
                   "en": "Nothing changed since last time."},
    "not-finished": {
        "de": "Ihr Check ist noch nicht fertig. Mit `/check` machen Sie weiter.",
        "en": "Your check is not finished yet. `/check` continues it.",
    },
    "no-check": {
        "de": "Sie haben noch keinen Check. `/check` beginnt einen, `/check join CODE` tritt einem bei.",
        "en": "You have no check yet. `/check` starts one, `/check join CODE` joins one.",
    },
    "already-finished": {
        "de": "Ihr Check ist fertig. `/check result` zeigt das Ergebnis, `/check review` beginnt die Überprüfung.",
        "en": "Your check is finished. `/check result` shows the result, `/check review` starts the review.",
    },
    "check-usage": {
        "de": "`/check` beginnt oder setzt fort; `/check result`, `/check review`, `/check share`, "
        "`/check join CODE`, `/check export` oder `/check export pdf`.",
        "en": "`/check` starts or resumes; `/check result`, `/check review`, `/check share`, "
        "`/check join CODE`, `/check export` or `/check export pdf`.",
    },
    "review-started": {
        "de": "Überprüfung Runde {round}: Ich zeige Ihnen Ihre letzten Antworten, Sie bestätigen oder ändern sie.",
        "en": "Review round {round}: I show you your last answers, you confirm or change them.",
    },
    "share": {
        "de": "Ihr Einladungscode: `{code}`. Kolleginnen und Kollegen Ihrer Organisation schreiben mir "
        "`/check join {code}` und arbeiten dann am selben Check und derselben Liste; jede Änderung wird "
        "der Person zugeordnet, die sie macht.",
        "en": "Your invitation code: `{code}`. Colleagues from your organisation write `/check join {code}` to me "
        "and then work on the same check and list; each change is attributed to whoever makes it.",
    },
    "joined": {
        "de": "Sie arbeiten jetzt am gemeinsamen Check mit. `/check` setzt ihn fort, `/measures` zeigt die Liste.",
        "en": "You now work on the shared check. `/check` continues it, `/measures` shows the list.",
    },
    "unknown-code": {
        "de": "Diesen Code kenne ich nicht. Bitte prüfen Sie ihn (acht Zeichen).",
        "en": "I do not know that code. Please check it (eight characters).",
    },
    "export-caption": {
        "de": "Ihr Ergebnis und Ihre Maßnahmenliste zum Weitergeben.",
        "en": "Your result and list of measures to pass on.",
    },
    "export-inline": {
        "de": "Hier kann ich keine Datei senden; das Ergebnis als Text:\n\n{text}",
        "en": "I cannot send a file here; the result as text:\n\n{text}",
    },
    "measures-empty": {
        "de": "Ihre Liste ist leer. Nach dem `/check` schlage ich Maßnahmen vor; eigene fügen Sie mit "
        "`/measures add TITEL` hinzu.",
        "en": "Your list is empty. After the `/check` I propose measures; add your own with `/measures add TITLE`.",
    },
    "measures-list": {
        "de": "**Ihre Maßnahmen** (sortiert nach Nutzen und Passung hoch, Aufwand niedrig, vorhandene Systeme "
        "vor Insel-Lösungen{manual}):\n\n{list}\n\nDetails und Verweise: `/measures N`. Ändern: `done N`, "
        "`edit N FELD WERT`, `move N M`, `drop N`.",
        "en": "**Your measures** (ordered by benefit and fit high, effort low, existing systems before islands"
        "{manual}):\n\n{list}\n\nDetails and links: `/measures N`. Change: `done N`, `edit N FIELD VALUE`, "
        "`move N M`, `drop N`.",
    },
    "manual-order": {"de": "; von Ihnen umsortiert", "en": "; reordered by you"},
    "measure-line": {
        "de": "{number}. {mark}{title} · Aufwand {effort}, Nutzen {benefit}, Passung {fit} · {system}{owner}",
        "en": "{number}. {mark}{title} · effort {effort}, benefit {benefit}, fit {fit} · {system}{owner}",
    },
    "owner": {"de": " · verantwortlich: {owner}", "en": " · owner: {owner}"},
    "measure-detail": {
        "de": "**{number}. {title}**\n\nBereich: {dimension} · Status: {status} · Überprüfen am: {review}\n"
        "Aufwand {effort}, Nutzen {benefit}, Passung {fit} · {system}{owner}{source}{links}",
        "en": "**{number}. {title}**\n\nArea: {dimension} · status: {status} · review on: {review}\n"
        "effort {effort}, benefit {benefit}, fit {fit} · {system}{owner}{source}{links}",
    },
    "source": {"de": "\nQuelle: {source}", "en": "\nSource: {source}"},
    "links-entries": {"de": "\n\n**Aus der Wissensbasis:**\n{list}", "en": "\n\n**From the knowledge base:**\n{list}"},
    "links-resources": {"de": "\n\n**Material:**\n{list}", "en": "\n\n**Resources:**\n{list}"},
    "links-events": {"de": "\n\n**Termine:**\n{list}", "en": "\n\n**Events:**\n{list}"},
    "links-offers": {"de": "\n\n**Angebote im Kompass:**\n{list}", "en": "\n\n**Offers in the Kompass:**\n{list}"},
    "links-peers": {
        "de": "\n\n**Andere Mitglieder** arbeiten an {topic}. Mit `/profile` und `/match` lernen Sie sie kennen "
        "(nur mit Zustimmung beider Seiten).",
        "en": "\n\n**Other members** work on {topic}. With `/profile` and `/match` you can meet them "
        "(only when both sides agree).",
    },
    "own-dimension": {"de": "Eigene Maßnahme", "en": "Own measure"},
    "not-set": {"de": "–", "en": "–"},
    "measure-added": {"de": "Hinzugefügt als Nummer {number}.", "en": "Added as number {number}."},
    "measure-done": {"de": "Erledigt: {title}. Gut gemacht!", "en": "Done: {title}. Well done!"},
    "measure-edited": {"de": "Geändert: {title}.", "en": "Changed: {title}."},
    "measure-moved": {
        "de": "Verschoben auf Platz {to}. Ihre Reihenfolge bleibt, neue Vorschläge kommen ans Ende.",
        "en": "Moved to position {to}. Your order stays; new proposals go to the end.",
    },
    "measure-dropped": {"de": "Gestrichen: {title}.", "en": "Dropped: {title}."},
    "measure-unknown": {
        "de": "Eine Maßnahme Nummer {number} gibt es nicht; die Liste hat {count}.",
        "en": "There is no measure number {number}; the list has {count}.",
    },
    "measures-usage": {
        "de": "So geht es: `/measures`, `/measures 2`, `/measures add TITEL`, `/measures done 2`, "
        "`/measures edit 2 FELD WERT` (Felder: title, owner, status, effort, benefit, fit, system, review), "
        "`/measures move 3 1`, `/measures drop 2`.",
        "en": "Like this: `/measures`, `/measures 2`, `/measures add TITLE`, `/measures done 2`, "
        "`/measures edit 2 FIELD VALUE` (fields: title, owner, status, effort, benefit, fit, system, review), "
        "`/measures move 3 1`, `/measures drop 2`.",
    },
    "edit-invalid": {
        "de": "Das passt nicht: {field} nimmt {expected}.",
        "en": "That does not fit: {field} takes {expected}.",
    },
    "expected-level": {"de": "1, 2 oder 3 (gering, mittel, hoch)", "en": "1, 2 or 3 (low, medium, high)"},
    "expected-system": {"de": "existing, neutral oder island", "en": "existing, neutral or island"},
    "expected-status": {"de": "open, doing oder done", "en": "open, doing or done"},
    "expected-date": {"de": "ein Datum wie 2027-03-31 oder 31.03.2027", "en": "a date such as 2027-03-31"},
    "expected-text": {"de": "einen Text bis 200 Zeichen", "en": "a text of up to 200 characters"},
    "reminder": {
        "de": "Es ist Zeit für die Überprüfung Ihres Digitalisierungschecks. Mit `/check review` gehen wir Ihre "
        "letzten Antworten durch (etwa fünf Minuten) und ich zeige, was sich verändert hat.",
        "en": "It is time to review your digitalisation check. With `/check review` we go through your last "
        "answers (about five minutes) and I show what has changed.",
    },
    "stats": {
        "de": "**Digitalisierungscheck:** {started} begonnen, {finished} abgeschlossen{dropoff}{gaps}",
        "en": "**Digitalisation check:** {started} started, {finished} finished{dropoff}{gaps}",
    },
    "stats-dropoff": {"de": "; aufgehört meist bei: {steps}", "en": "; most stop at: {steps}"},
    "stats-gaps": {"de": "\nHäufigste Lücken: {list}", "en": "\nMost common gaps: {list}"},
    "stats-group": {"de": "{group}: {dimensions}", "en": "{group}: {dimensions}"},
    "export-title": {"de": "Digitalisierungscheck", "en": "Digitalisation check"},
    "export-organisation": {"de": "Organisation: {org_type}, {region}", "en": "Organisation: {org_type}, {region}"},
    "export-systems": {"de": "Vorhandene Systeme: {systems}", "en": "Systems in use: {systems}"},
    "export-date": {"de": "Stand: {date} (Runde {round})", "en": "As of: {date} (round {round})"},
    "export-measures": {"de": "Maßnahmenliste", "en": "List of measures"},
    "export-rule": {
        "de": "Reihenfolge: Nutzen ×2 plus Passung minus Aufwand, +1 für vorhandene Systeme, −2 für Insel-Lösungen; "
        "von den Pilotinnen und Piloten umsortierbar.",
        "en": "Order: benefit ×2 plus fit minus effort, +1 for existing systems, −2 for island solutions; "
        "pilots may reorder.",
    },
    "chart-title": {"de": "Stand je Bereich (%)", "en": "State per area (%)"},
}

PHRASES = Phrasebook(TEXTS)
