"""Everything the matching and privacy features say, in German (addressing people as "Sie") and English."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts import Phrasebook
from knowledge.entry import Language

ORG_TYPES: Mapping[str, Mapping[Language, str]] = {
    "municipality": {"de": "Kommunalverwaltung", "en": "Municipal administration"},
    "state": {"de": "Landes- oder Bundesverwaltung", "en": "State or federal administration"},
    "culture": {"de": "Kultureinrichtung", "en": "Cultural institution"},
    "social": {"de": "Soziale Organisation", "en": "Social organisation"},
    "company": {"de": "Unternehmen", "en": "Company"},
    "other": {"de": "Andere", "en": "Other"},
}

REGIONS: tuple[str, ...] = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
    "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
)

LANGUAGES: Mapping[str, Mapping[Language, str]] = {
    "de": {"de": "Deutsch", "en": "German"},
    "en": {"de": "Englisch", "en": "English"},
    "both": {"de": "Deutsch und Englisch", "en": "German and English"},
}

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-profile": {
        "de": "Ihr Profil für Vorstellungen: anlegen, show, pause DATUM, off",
        "en": "Your profile for introductions: create, show, pause DATE, off",
    },
    "command-match": {
        "de": "Bis zu drei Mitglieder mit ähnlichen Herausforderungen",
        "en": "Up to three members with similar challenges",
    },
    "ask-org-type": {
        "de": "Gern lege ich Ihr Profil an, damit ich Sie mit Menschen bekannt machen kann, die vor "
        "ähnlichen Aufgaben stehen. Mit `/cancel` können Sie jederzeit abbrechen.\n\n"
        "**1/6** Wo arbeiten Sie?",
        "en": "Happy to create your profile so that I can introduce you to people facing similar tasks. "
        "You can stop at any time with `/cancel`.\n\n**1/6** Where do you work?",
    },
    "ask-region": {
        "de": "**2/6** In welchem Bundesland? Wählen Sie eines oder schreiben Sie Ihre Region.",
        "en": "**2/6** In which federal state? Pick one or write your region.",
    },
    "ask-challenges": {
        "de": "**3/6** Woran arbeiten Sie gerade? Antworten Sie mit Nummern und/oder eigenen Worten, "
        "durch Kommas getrennt, zum Beispiel `2, 4, Förderanträge`.\n\n{list}",
        "en": "**3/6** What are you working on? Answer with numbers and/or your own words, separated by "
        "commas, for example `2, 4, funding applications`.\n\n{list}",
    },
    "ask-offers": {
        "de": "**4/6** Wobei können Sie anderen helfen? Gleiche Liste, oder `-` für nichts.",
        "en": "**4/6** What can you help others with? Same list, or `-` for nothing.",
    },
    "ask-languages": {
        "de": "**5/6** In welcher Sprache können Sie sich mit anderen austauschen?",
        "en": "**5/6** In which language can you talk to others?",
    },
    "ask-consent": {
        "de": "**6/6** Darf ich Sie anderen Mitgliedern vorschlagen? Ich nenne dabei nur Ihre "
        "Herausforderungen, die Art Ihrer Organisation und Ihre Region. Ihren Namen und Kontakt erfährt "
        "jemand nur, wenn Sie beide zustimmen. Sie können das jederzeit mit `/profile off` beenden.",
        "en": "**6/6** May I suggest you to other members? I only mention your challenges, your kind of "
        "organisation and your region. Someone learns your name and contact only when both of you agree. "
        "You can stop this at any time with `/profile off`.",
    },
    "consent-yes": {"de": "Ja, ich mache mit", "en": "Yes, count me in"},
    "consent-no": {"de": "Nein, jetzt nicht", "en": "No, not now"},
    "not-understood": {
        "de": "Das habe ich nicht verstanden. Bitte wählen Sie eine der Möglichkeiten oder `/cancel`.",
        "en": "I did not understand that. Please pick one of the options, or `/cancel`.",
    },
    "expected-org": {
        "de": "Das ist keine der Arten. Bitte antworten Sie mit einer Nummer von 1 bis 6 oder dem Namen, "
        "zum Beispiel `1` oder `Kommunalverwaltung`; `/cancel` bricht ab.",
        "en": "That is none of the kinds. Please answer with a number from 1 to 6 or the name, for example "
        "`1` or `Municipal administration`; `/cancel` stops.",
    },
    "expected-region": {
        "de": "Hier frage ich nur nach Ihrer Region: bitte eine Nummer von 1 bis 16, ein Bundesland oder Ihre "
        "Region in wenigen Worten, zum Beispiel `Landkreis Harz`. Ihre Frage stellen Sie gern nach dem Profil.",
        "en": "Here I only ask for your region: please a number from 1 to 16, a federal state or your region "
        "in a few words, for example `Harz district`. You are welcome to ask your question after the profile.",
    },
    "expected-languages": {
        "de": "Bitte antworten Sie mit `1` (Deutsch), `2` (Englisch) oder `3` (beides).",
        "en": "Please answer with `1` (German), `2` (English) or `3` (both).",
    },
    "expected-consent": {
        "de": "Bitte antworten Sie mit `1` (ja) oder `2` (nein).",
        "en": "Please answer with `1` (yes) or `2` (no).",
    },
    "number-not-on-list": {
        "de": "Diese Nummer steht nicht auf der Liste. Bitte wählen Sie Nummern aus der Liste, durch Kommas "
        "getrennt, oder beschreiben Sie es in eigenen Worten.",
        "en": "That number is not on the list. Please pick numbers from the list, separated by commas, or "
        "describe it in your own words.",
    },
    "no-challenge-found": {
        "de": "Dazu habe ich nichts auf der Liste gefunden. Bitte nennen Sie mindestens eine Nummer "
        "von der Liste, zum Beispiel `2` oder `1, 3`.",
        "en": "I found nothing on the list for that. Please give at least one number from the list, "
        "for example `2` or `1, 3`.",
    },
    "unmapped-note": {
        "de": "Nicht zugeordnet (bleibt in Ihrem Profil sichtbar): {pieces}",
        "en": "Not matched to the list (kept visible in your profile): {pieces}",
    },
    "profile-saved-on": {
        "de": "Danke! Ihr Profil ist gespeichert und Sie nehmen an den Vorstellungen teil "
        "(Zustimmung vom {at}). `/match` zeigt passende Mitglieder sofort.",
        "en": "Thank you! Your profile is saved and you take part in introductions (consent given "
        "{at}). `/match` shows matching members right away.",
    },
    "profile-saved-off": {
        "de": "Danke! Ihr Profil ist gespeichert. Vorgestellt werden Sie erst, wenn Sie zustimmen "
        "(noch einmal `/profile`).",
        "en": "Thank you! Your profile is saved. You will only be introduced once you agree "
        "(run `/profile` again).",
    },
    "profile-show": {
        "de": "**Ihr Profil**\n\n- Organisation: {org_type}\n- Region: {region}\n- Herausforderungen: "
        "{challenges}\n- Kann helfen bei: {offers}\n- Sprache: {languages}\n- Vorstellungen: {status}",
        "en": "**Your profile**\n\n- Organisation: {org_type}\n- Region: {region}\n- Challenges: "
        "{challenges}\n- Can help with: {offers}\n- Language: {languages}\n- Introductions: {status}",
    },
    "status-on": {"de": "ja (seit {at})", "en": "yes (since {at})"},
    "status-off": {"de": "nein", "en": "no"},
    "status-paused": {"de": "pausiert bis {until}", "en": "paused until {until}"},
    "nothing": {"de": "–", "en": "–"},
    "no-profile": {
        "de": "Sie haben noch kein Profil. Mit `/profile` legen Sie eines an.",
        "en": "You do not have a profile yet. Create one with `/profile`.",
    },
    "pause-usage": {
        "de": "Bitte geben Sie ein Datum an, zum Beispiel `/profile pause 31.01.2027`.",
        "en": "Please give a date, for example `/profile pause 2027-01-31`.",
    },
    "paused": {
        "de": "In Ordnung, bis einschließlich {until} schlage ich Sie niemandem vor.",
        "en": "All right, I will not suggest you to anyone until {until} (inclusive).",
    },
    "switched-off": {
        "de": "In Ordnung, ich schlage Sie niemandem mehr vor. Ihr Profil bleibt gespeichert; "
        "`/forget` löscht alles.",
        "en": "All right, I will not suggest you to anyone any more. Your profile stays stored; "
        "`/forget` deletes everything.",
    },
    "profile-usage": {
        "de": "`/profile` legt Ihr Profil an oder ändert es; `/profile show`, `/profile pause DATUM`, "
        "`/profile off`.",
        "en": "`/profile` creates or changes your profile; `/profile show`, `/profile pause DATE`, "
        "`/profile off`.",
    },
    "match-needs-profile": {
        "de": "Dafür brauche ich Ihr Profil und Ihre Zustimmung: `/profile`.",
        "en": "For that I need your profile and your consent: `/profile`.",
    },
    "match-paused": {
        "de": "Ihr Profil ist bis {until} pausiert.",
        "en": "Your profile is paused until {until}.",
    },
    "match-none": {
        "de": "Im Moment habe ich niemanden mit passenden Herausforderungen gefunden. Ich melde mich "
        "in der nächsten Vorstellungsrunde.",
        "en": "I have not found anyone with matching challenges right now. I will be in touch in the "
        "next round of introductions.",
    },
    "match-list": {
        "de": "Diese Mitglieder arbeiten an Ähnlichem. Wählen Sie, wen ich fragen soll, ob Sie sich "
        "kennenlernen möchten; Namen gibt es erst, wenn beide zustimmen.\n\n{list}",
        "en": "These members work on similar things. Choose whom I should ask whether you would like "
        "to meet; names follow only when both agree.\n\n{list}",
    },
    "match-line": {
        "de": "{number}. {org_type}, {region}: {challenges}{helps}",
        "en": "{number}. {org_type}, {region}: {challenges}{helps}",
    },
    "helps-line": {"de": " (kann helfen bei: {helps})", "en": " (can help with: {helps})"},
    "match-choice": {"de": "Nr. {number} fragen", "en": "Ask no. {number}"},
    "asked": {
        "de": "Ich habe gefragt. Sobald die andere Seite zustimmt, bekommen Sie beide die Kontakte.",
        "en": "I have asked. As soon as the other side agrees, you will both get the contacts.",
    },
    "already-asked": {
        "de": "Diese Anfrage läuft bereits.",
        "en": "This request is already under way.",
    },
    "request": {
        "de": "**Möchten Sie jemanden kennenlernen?**\n\nEin Mitglied ({org_type}, {region}) arbeitet "
        "ebenfalls an: {challenges}.{helps}\n\nWenn Sie beide zustimmen, erhalten Sie gegenseitig die "
        "Kontakte. Die Anfrage gilt bis {until}.",
        "en": "**Would you like to meet someone?**\n\nA member ({org_type}, {region}) also works on: "
        "{challenges}.{helps}\n\nIf you both agree, you will each get the other's contact. The request "
        "is open until {until}.",
    },
    "request-helps": {"de": " Hilfe möglich bei: {helps}.", "en": " Help possible with: {helps}."},
    "yes": {"de": "Ja, gern", "en": "Yes, please"},
    "no": {"de": "Nein, danke", "en": "No, thank you"},
    "answer-yes-waiting": {
        "de": "Danke! Ich melde mich, sobald es Neuigkeiten gibt.",
        "en": "Thank you! I will be in touch as soon as there is news.",
    },
    "answer-no": {
        "de": "In Ordnung, ich gebe nichts weiter.",
        "en": "All right, I will not pass anything on.",
    },
    "answer-too-late": {
        "de": "Diese Anfrage ist nicht mehr offen.",
        "en": "This request is no longer open.",
    },
    "room-greeting": {
        "de": "**Willkommen, {names}!** Lotse hat diesen Raum für Sie beide eröffnet. Gemeinsame Themen: "
        "{challenges}. Der Raum gehört Ihnen; Lotse meldet sich hier nicht wieder.",
        "en": "**Welcome, {names}!** Lotse opened this room for the two of you. Shared topics: {challenges}. "
        "The room is yours; Lotse will not post here again.",
    },
    "introduced": {
        "de": "**Sie beide möchten sich kennenlernen!** Ihr Kontakt: {handle}\n\nGemeinsame Themen: "
        "{challenges}. Schreiben Sie einfach eine kurze Nachricht.",
        "en": "**You both would like to meet!** Your contact: {handle}\n\nShared topics: {challenges}. "
        "Just send a short message.",
    },
    "not-this-time": {
        "de": "Die Vorstellung zu {challenges} ist diesmal nicht zustande gekommen. Ich schlage Ihnen "
        "in einer der nächsten Runden gern jemand anderen vor.",
        "en": "The introduction about {challenges} did not come about this time. I will gladly suggest "
        "someone else in one of the next rounds.",
    },
    "odd-one-out": {
        "de": "In dieser Vorstellungsrunde ist für Sie leider niemand übrig geblieben, der zu Ihren "
        "Themen passt. In der nächsten Runde sind Sie wieder dabei; `/match` können Sie jederzeit nutzen.",
        "en": "In this round of introductions there was unfortunately nobody left who fits your topics. "
        "You are in the next round again, and you can use `/match` at any time.",
    },
    "follow-up": {
        "de": "Vor einer Woche habe ich Sie mit jemandem zu {challenges} bekannt gemacht. Haben Sie "
        "sich ausgetauscht?",
        "en": "A week ago I introduced you to someone about {challenges}. Did you meet?",
    },
    "met-yes": {"de": "Ja", "en": "Yes"},
    "met-later": {"de": "Noch nicht", "en": "Not yet"},
    "met-no": {"de": "Nein", "en": "No"},
    "met-thanks": {"de": "Danke für Ihre Rückmeldung!", "en": "Thank you for your feedback!"},
    "peers-offer": {
        "de": "Übrigens: Einige Mitglieder arbeiten an {challenge}. Soll ich fragen, ob jemand von ihnen "
        "mit Ihnen ins Gespräch kommen möchte?",
        "en": "By the way: some members work on {challenge}. Shall I ask whether one of them would like "
        "to talk with you?",
    },
    "peers-offer-choice": {"de": "Ja, bitte fragen", "en": "Yes, please ask"},
    "peers-none": {
        "de": "Gerade ist leider niemand verfügbar. Versuchen Sie es später mit `/match`.",
        "en": "Unfortunately nobody is available right now. Try `/match` later.",
    },
    "not-stated": {"de": "keine Angabe", "en": "not stated"},
    "stats": {
        "de": "**Vorstellungen**\n\n- Mitglieder, die teilnehmen: {members}\n- Vorgeschlagen: {proposed}\n"
        "- Zustande gekommen: {introduced}\n- Getroffen? ja {met_yes}, noch nicht {met_later}, nein {met_no}",
        "en": "**Introductions**\n\n- Members taking part: {members}\n- Proposed: {proposed}\n"
        "- Came about: {introduced}\n- Did they meet? yes {met_yes}, not yet {met_later}, no {met_no}",
    },
}

PHRASES = Phrasebook(TEXTS)
