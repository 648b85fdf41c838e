"""Everything curation says, in German (addressing people as "Sie") and English."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts import Phrasebook
from knowledge.entry import Language

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-faq": {"de": "Einträge pflegen (Moderation)", "en": "Curate entries (moderators)"},
    "command-queue": {"de": "Unbeantwortete Fragen (Moderation)", "en": "Unanswered questions (moderators)"},
    "command-stats": {"de": "Kennzahlen (Moderation)", "en": "Figures (moderators)"},
    "command-mod": {"de": "Moderationsrolle vergeben oder entziehen", "en": "Grant or revoke the moderator role"},
    "moderators-only": {
        "de": "Das dürfen nur Moderatorinnen und Moderatoren. Wenn Sie mithelfen möchten, sprechen Sie "
        "bitte eine Administratorin oder einen Administrator an.",
        "en": "Only moderators may do that. If you would like to help, please ask an administrator.",
    },
    "admins-only": {
        "de": "Die Moderationsrolle vergeben und entziehen nur Administratorinnen und Administratoren.",
        "en": "Only administrators grant and revoke the moderator role.",
    },
    "not-yourself": {
        "de": "Die eigene Rolle kann niemand selbst ändern.",
        "en": "Nobody can change their own role.",
    },
    "mod-usage": {
        "de": "So geht es: `/mod grant ID`, `/mod revoke ID` oder `/mod list`. Die ID enthält die Plattform, "
        "z. B. `telegram:123456` oder `matrix:@anna:example.org`.",
        "en": "Usage: `/mod grant ID`, `/mod revoke ID` or `/mod list`. The id names the platform, "
        "e.g. `telegram:123456` or `matrix:@anna:example.org`.",
    },
    "grant-done": {"de": "{person} moderiert jetzt mit.", "en": "{person} is now a moderator."},
    "grant-unchanged": {"de": "{person} moderiert bereits.", "en": "{person} is a moderator already."},
    "revoke-done": {"de": "{person} moderiert nicht mehr.", "en": "{person} is no longer a moderator."},
    "revoke-unchanged": {"de": "{person} hatte keine Moderationsrolle.", "en": "{person} was not a moderator."},
    "moderators": {"de": "Moderation:\n\n{people}", "en": "Moderators:\n\n{people}"},
    "faq-usage": {
        "de": "Befehle für Einträge:\n\n"
        "- `/faq add`: neuer Eintrag, Schritt für Schritt\n"
        "- `/faq add Frage? | Alternative; Alternative | Antwort | tags | de`: in einer Nachricht\n"
        "- `/faq show ID`, `/faq list [tag]`, `/faq search TEXT`\n"
        "- `/faq edit ID FELD WERT` (question, alternatives, answer, tags, lang, review_by)\n"
        "- `/faq alias ID TEXT`: weitere Formulierung\n"
        "- `/faq delete ID`, `/faq restore ID`\n"
        "- `/faq publish ID`, `/faq reviewed ID`\n"
        "- `/faq history ID`, `/faq revert ID VERSION`",
        "en": "Commands for entries:\n\n"
        "- `/faq add`: a new entry, step by step\n"
        "- `/faq add Question? | alternative; alternative | answer | tags | en`: in one message\n"
        "- `/faq show ID`, `/faq list [tag]`, `/faq search TEXT`\n"
        "- `/faq edit ID FIELD VALUE` (question, alternatives, answer, tags, lang, review_by)\n"
        "- `/faq alias ID TEXT`: another phrasing\n"
        "- `/faq delete ID`, `/faq restore ID`\n"
        "- `/faq publish ID`, `/faq reviewed ID`\n"
        "- `/faq history ID`, `/faq revert ID VERSION`",
    },
    "form-usage": {
        "de": "Das Format ist: `/faq add Frage? | Alternative; Alternative | Antwort | tags | de`. Frage und "
        "Antwort sind nötig; Alternativen dürfen leer bleiben, tags und Sprache fehlen.",
        "en": "The format is: `/faq add Question? | alternative; alternative | answer | tags | en`. Question "
        "and answer are needed; alternatives may be empty, tags and language may be left out.",
    },
    "language-usage": {
        "de": "Bitte wählen Sie `de` (Deutsch) oder `en` (Englisch).",
        "en": "Please choose `de` (German) or `en` (English).",
    },
    "add-start": {
        "de": "Wir legen einen neuen Eintrag an. Mit `/cancel` können Sie jederzeit abbrechen.",
        "en": "Let us create a new entry. You can stop at any time with `/cancel`.",
    },
    "add-start-group": {
        "de": "Wir beantworten die Frage „{question}“ mit einem neuen Eintrag. Mit `/cancel` können Sie "
        "jederzeit abbrechen.",
        "en": "Let us answer the question “{question}” with a new entry. You can stop at any time with `/cancel`.",
    },
    "ask-question": {
        "de": "Wie lautet die Frage, so wie Mitglieder sie stellen würden?",
        "en": "What is the question, the way members would ask it?",
    },
    "ask-alternatives": {
        "de": "Wie fragen Mitglieder noch danach? Schreiben Sie andere Formulierungen, getrennt durch `;` oder "
        "je Zeile, oder `-` für keine.",
        "en": "How else do members ask this? Send other phrasings, separated by `;` or one per line, or `-` "
        "for none.",
    },
    "ask-answer": {
        "de": "Wie lautet die Antwort? Sie dürfen **fett**, *kursiv*, Links und `- ` Listen verwenden.",
        "en": "What is the answer? You may use **bold**, *italic*, links and `- ` lists.",
    },
    "ask-tags": {
        "de": "Welche Schlagwörter passen (z. B. `it-sicherheit, foerderung`)? `-` für keine.",
        "en": "Which tags fit (e.g. `it-sicherheit, foerderung`)? `-` for none.",
    },
    "ask-language": {"de": "In welcher Sprache ist der Eintrag?", "en": "Which language is the entry in?"},
    "language-de": {"de": "Deutsch", "en": "German"},
    "language-en": {"de": "Englisch", "en": "English"},
    "preview": {
        "de": "So sieht der Eintrag aus:\n\n{entry}\n\nSoll ich ihn speichern?",
        "en": "This is the entry:\n\n{entry}\n\nShall I save it?",
    },
    "choice-publish": {"de": "Veröffentlichen", "en": "Publish"},
    "choice-draft": {"de": "Als Entwurf speichern", "en": "Save as draft"},
    "choice-cancel": {"de": "Abbrechen", "en": "Cancel"},
    "add-cancelled": {"de": "Der Eintrag wurde nicht gespeichert.", "en": "The entry was not saved."},
    "dialogue-lost": {
        "de": "Dieser Schritt ist nicht mehr offen. Mit `/faq add` beginnen Sie einen neuen Eintrag.",
        "en": "This step is no longer open. Start a new entry with `/faq add`.",
    },
    "saved-published": {
        "de": "Gespeichert und veröffentlicht als `{id}`. Ich beantworte die Frage ab sofort.",
        "en": "Saved and published as `{id}`. I answer the question from now on.",
    },
    "saved-draft": {
        "de": "Als Entwurf `{id}` gespeichert. Veröffentlichen mit `/faq publish {id}`.",
        "en": "Saved as draft `{id}`. Publish it with `/faq publish {id}`.",
    },
    "draft": {
        "de": "**{question}**\n\nAlternativen:\n{alternatives}\n\nSchlagwörter: {tags} · Sprache: {lang}\n\n{answer}",
        "en": "**{question}**\n\nAlternatives:\n{alternatives}\n\nTags: {tags} · Language: {lang}\n\n{answer}",
    },
    "entry": {
        "de": "`{id}` · {status} · Version {version} · 👍 {up} · 👎 {down}\n\n**{question}**\n\n"
        "Alternativen:\n{alternatives}\n\nSchlagwörter: {tags} · Sprache: {lang} · Prüfen bis: {review_by}"
        "\n\n{answer}",
        "en": "`{id}` · {status} · version {version} · 👍 {up} · 👎 {down}\n\n**{question}**\n\n"
        "Alternatives:\n{alternatives}\n\nTags: {tags} · Language: {lang} · Review by: {review_by}\n\n{answer}",
    },
    "nothing": {"de": "keine", "en": "none"},
    "status-published": {"de": "veröffentlicht", "en": "published"},
    "status-draft": {"de": "Entwurf", "en": "draft"},
    "status-deleted": {"de": "gelöscht", "en": "deleted"},
    "no-entry": {"de": "Einen Eintrag `{id}` gibt es nicht.", "en": "There is no entry `{id}`."},
    "edit-usage": {
        "de": "So geht es: `/faq edit ID FELD WERT`, Felder: question, alternatives, answer, tags, lang, "
        "review_by (Datum wie 2027-06-30 oder `-`).",
        "en": "Usage: `/faq edit ID FIELD VALUE`, fields: question, alternatives, answer, tags, lang, "
        "review_by (a date such as 2027-06-30, or `-`).",
    },
    "edited": {"de": "`{id}` ist jetzt in Version {version}.", "en": "`{id}` is now at version {version}."},
    "deleted": {
        "de": "`{id}` ist gelöscht. Mit `/faq restore {id}` holen Sie ihn zurück.",
        "en": "`{id}` is deleted. `/faq restore {id}` brings it back.",
    },
    "restored": {"de": "`{id}` ist wiederhergestellt.", "en": "`{id}` is restored."},
    "not-deleted": {
        "de": "Einen gelöschten Eintrag `{id}` gibt es nicht.",
        "en": "There is no deleted entry `{id}`.",
    },
    "list-empty": {"de": "Keine Einträge gefunden.", "en": "No entries found."},
    "list-more": {"de": "… und {count} weitere.", "en": "… and {count} more."},
    "search-usage": {"de": "So geht es: `/faq search TEXT`.", "en": "Usage: `/faq search TEXT`."},
    "search-nothing": {"de": "Zu „{query}“ passt kein Eintrag.", "en": "No entry matches “{query}”."},
    "alias-usage": {"de": "So geht es: `/faq alias ID TEXT`.", "en": "Usage: `/faq alias ID TEXT`."},
    "alias-known": {
        "de": "Diese Formulierung kennt `{id}` schon.",
        "en": "`{id}` knows this phrasing already.",
    },
    "alias-added": {
        "de": "`{id}` beantwortet jetzt auch „{phrasing}“.",
        "en": "`{id}` now also answers “{phrasing}”.",
    },
    "history-title": {"de": "Versionen von `{id}`:", "en": "Versions of `{id}`:"},
    "history-hint": {
        "de": "Eine ältere Version stellen Sie mit `/faq revert {id} VERSION` wieder her.",
        "en": "Restore an earlier version with `/faq revert {id} VERSION`.",
    },
    "revert-usage": {"de": "So geht es: `/faq revert ID VERSION`.", "en": "Usage: `/faq revert ID VERSION`."},
    "no-version": {
        "de": "`{id}` hat keine Version {version}.",
        "en": "`{id}` has no version {version}.",
    },
    "reverted": {
        "de": "`{id}` hat wieder den Stand von Version {old}, jetzt als Version {version}.",
        "en": "`{id}` is back to version {old}, now as version {version}.",
    },
    "published": {"de": "`{id}` ist veröffentlicht.", "en": "`{id}` is published."},
    "already-published": {"de": "`{id}` ist bereits veröffentlicht.", "en": "`{id}` is published already."},
    "four-eyes": {
        "de": "Hier gilt das Vier-Augen-Prinzip: `{id}` veröffentlicht bitte eine andere Moderatorin oder "
        "ein anderer Moderator.",
        "en": "The four-eyes rule applies: another moderator publishes `{id}`.",
    },
    "marked-reviewed": {
        "de": "Danke, `{id}` ist als geprüft vermerkt.",
        "en": "Thank you, `{id}` is marked as reviewed.",
    },
    "queue-usage": {
        "de": "So geht es: `/queue`, `/queue show NR`, `/queue answer NR` (oder `/queue answer NR Frage? | "
        "Alternativen | Antwort | tags | de`), `/queue link NR ID`, `/queue dismiss NR GRUND`.",
        "en": "Usage: `/queue`, `/queue show NO`, `/queue answer NO` (or `/queue answer NO Question? | "
        "alternatives | answer | tags | en`), `/queue link NO ID`, `/queue dismiss NO REASON`.",
    },
    "queue-empty": {
        "de": "Keine offenen Fragen. Alles beantwortet!",
        "en": "No open questions. Everything is answered!",
    },
    "queue": {
        "de": "Offene Fragen (wie oft gestellt):\n\n{groups}\n\n`/queue show NR` zeigt alle Formulierungen; "
        "`/queue answer NR`, `/queue link NR ID` oder `/queue dismiss NR GRUND` erledigen eine Gruppe.",
        "en": "Open questions (how often asked):\n\n{groups}\n\n`/queue show NO` shows every phrasing; "
        "`/queue answer NO`, `/queue link NO ID` or `/queue dismiss NO REASON` settle a group.",
    },
    "group": {
        "de": "Gruppe #{group} ({status}), {count}× gefragt:\n\n{questions}",
        "en": "Group #{group} ({status}), asked {count}×:\n\n{questions}",
    },
    "group-open": {"de": "offen", "en": "open"},
    "group-answered": {"de": "beantwortet", "en": "answered"},
    "group-dismissed": {"de": "verworfen", "en": "dismissed"},
    "no-group": {"de": "Eine offene Gruppe #{group} gibt es nicht.", "en": "There is no open group #{group}."},
    "linked": {
        "de": "Gruppe #{group} ist mit `{id}` beantwortet; ihre Fragen sind jetzt Alternativen des Eintrags.",
        "en": "Group #{group} is answered by `{id}`; its questions are now alternatives of the entry.",
    },
    "dismiss-usage": {
        "de": "Bitte nennen Sie einen Grund: `/queue dismiss NR GRUND`.",
        "en": "Please give a reason: `/queue dismiss NO REASON`.",
    },
    "dismissed": {"de": "Gruppe #{group} ist verworfen.", "en": "Group #{group} is dismissed."},
    "asker-answered": {
        "de": "Sie hatten gefragt: „{asked}“. Darauf gibt es jetzt eine Antwort:\n\n**{question}**\n\n{answer}",
        "en": "You asked: “{asked}”. There is an answer now:\n\n**{question}**\n\n{answer}",
    },
    "notice": {
        "de": "Neue unbeantwortete Fragen ({count}):\n\n{groups}\n\n`/queue` zeigt alle offenen Fragen.",
        "en": "New unanswered questions ({count}):\n\n{groups}\n\n`/queue` lists every open question.",
    },
    "notice-more": {"de": "- … und {count} weitere", "en": "- … and {count} more"},
    "review-due": {
        "de": "Bitte prüfen Sie `{id}` („{question}“): Das Prüfdatum {date} ist erreicht. Danach "
        "`/faq reviewed {id}` oder ein neues Datum mit `/faq edit {id} review_by JJJJ-MM-TT`.",
        "en": "Please review `{id}` (“{question}”): its review date {date} has come. Afterwards "
        "`/faq reviewed {id}`, or set a new date with `/faq edit {id} review_by YYYY-MM-DD`.",
    },
    "stats": {
        "de": "**Kennzahlen der letzten vier Wochen**\n\n"
        "- Fragen je Woche (neueste zuerst): {weeks}\n"
        "- Beantwortet: {answered}\n"
        "- Mit „Meinten Sie“: {choices}\n\n"
        "**Häufigste offene Fragen**\n\n{top}\n\n"
        "**Einträge mit den meisten 👎**\n\n{downvoted}\n\n"
        "**Seit {months} Monaten nicht geprüft**\n\n{stale}\n\n"
        "**Fehlende Übersetzungen**\n\n{missing}",
        "en": "**Figures of the last four weeks**\n\n"
        "- Questions per week (latest first): {weeks}\n"
        "- Answered: {answered}\n"
        "- With “did you mean”: {choices}\n\n"
        "**Most asked open questions**\n\n{top}\n\n"
        "**Entries with most 👎**\n\n{downvoted}\n\n"
        "**Not reviewed for {months} months**\n\n{stale}\n\n"
        "**Missing translations**\n\n{missing}",
    },
    "stats-none": {"de": "keine", "en": "none"},
    "stats-missing-line": {
        "de": "- `{id}`: {count}× auf {asked_in} gefragt, Eintrag nur in anderer Sprache",
        "en": "- `{id}`: asked {count}× in {asked_in}, entry only in another language",
    },
}

PHRASES = Phrasebook(TEXTS)

