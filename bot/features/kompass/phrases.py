"""Everything the Kompass says, in German (addressing people as "Sie") and English."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts import Phrasebook
from knowledge.entry import Language

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-kompass": {"de": "Wer hilft wobei, in Ihrer Nähe: /kompass THEMA ORT",
                        "en": "Who helps with what, near you: /kompass TOPIC PLACE"},
    "command-provider": {"de": "Anbieter im Kompass pflegen (Moderation)",
                         "en": "Curate Kompass providers (moderators)"},
    "command-offer": {"de": "Angebote im Kompass pflegen (Moderation)", "en": "Curate Kompass offers (moderators)"},
    "moderators-only": {"de": "Den Beratungskompass pflegt das Moderationsteam.",
                        "en": "The Kompass is curated by the moderators."},
    "kompass-usage": {
        "de": "**Beratungskompass** – wer berät, schult und fördert zu Ihrem Thema in Ihrer Nähe:\n\n"
        "- `/kompass THEMA ORT`, z. B. `/kompass Fördermittel Berlin` oder `/kompass KI 10115`\n"
        "- `/kompass show ID` zeigt ein Angebot; dort können Sie Ihre Anfrage weitergeben lassen\n"
        "- `/kompass referrals` zeigt Ihre Anfragen, `/kompass done NR` schließt eine ab\n"
        "- `/kompass radar THEMEN | ORT` meldet passende Förderaufrufe im Digest und vor Fristende; "
        "`/kompass radar off` beendet das",
        "en": "**Kompass** – who advises, trains and funds on your topic near you:\n\n"
        "- `/kompass TOPIC PLACE`, e.g. `/kompass funding Berlin` or `/kompass AI 10115`\n"
        "- `/kompass show ID` shows an offer; from there Lotse can pass your request on\n"
        "- `/kompass referrals` lists your requests, `/kompass done NO` closes one\n"
        "- `/kompass radar TOPICS | PLACE` reports fitting funding calls in your digest and before their "
        "deadline; `/kompass radar off` stops it",
    },
    "found": {"de": "**Im Beratungskompass** ({place}):", "en": "**From the Kompass** ({place}):"},
    "found-for-question": {
        "de": "Im **Beratungskompass** habe ich passende Angebote gefunden ({place}):",
        "en": "I found fitting offers in the **Kompass** ({place}):",
    },
    "beside-answer": {"de": "**Passende Angebote im Beratungskompass:**", "en": "**Fitting offers in the Kompass:**"},
    "nationwide": {"de": "bundesweit", "en": "nationwide"},
    "hint-place": {
        "de": "Ohne Ort zeige ich bundesweite Angebote. Mit Ort oder PLZ finde ich auch regionale, z. B. "
        "`/kompass KI Leipzig`.",
        "en": "Without a place I show nationwide offers. With a place or postcode I find regional ones too, e.g. "
        "`/kompass AI Leipzig`.",
    },
    "hint-approximate": {
        "de": "Die PLZ {postcode} kenne ich nicht genau; ich habe die Gegend der nächsten bekannten PLZ genommen.",
        "en": "I do not know the postcode {postcode} exactly; I used the area of the nearest known one.",
    },
    "hint-topic": {
        "de": "„{words}“ habe ich keinem Thema zuordnen können; ich zeige Angebote zu allen Themen.",
        "en": "I could not match “{words}” to a topic; these are offers on all topics.",
    },
    "nothing-found": {
        "de": "Dazu habe ich im Beratungskompass nichts gefunden. Versuchen Sie ein allgemeineres Thema oder "
        "einen größeren Ort (das Bundesland). Unbekannt war mir: {words}",
        "en": "I found nothing in the Kompass for that. Try a broader topic or a larger place (the state). "
        "I did not know: {words}",
    },
    "deadline": {"de": "Frist {date}", "en": "deadline {date}"},
    "checked": {"de": "geprüft am {date}", "en": "checked on {date}"},
    "stale": {"de": "⚠️ zuletzt geprüft am {date}, womöglich veraltet",
              "en": "⚠️ last checked on {date}, may be out of date"},
    "source": {"de": "Quelle", "en": "source"},
    "source-text": {"de": "Quelle: {source}", "en": "source: {source}"},
    "fact-area": {"de": "Gebiet: {area}", "en": "Area: {area}"},
    "fact-topics": {"de": "Themen: {topics}", "en": "Topics: {topics}"},
    "fact-audiences": {"de": "Für: {audiences}", "en": "For: {audiences}"},
    "fact-eligible": {"de": "Antragsberechtigt: {eligible}", "en": "Who may apply: {eligible}"},
    "fact-funding-type": {"de": "Förderart: {type}", "en": "Funding type: {type}"},
    "fact-deadlines": {"de": "Fristen: {dates}", "en": "Deadlines: {dates}"},
    "fact-link": {"de": "Mehr: {link}", "en": "More: {link}"},
    "fact-contact": {"de": "Kontakt: {contact}", "en": "Contact: {contact}"},
    "no-public-contact": {"de": "siehe Website des Anbieters", "en": "see the provider's website"},
    "choice-refer": {"de": "Anfrage weitergeben lassen", "en": "Pass my request on"},
    "choice-message": {"de": "Nachricht zum Selbstversenden", "en": "A message to send myself"},
    "ask-refer": {
        "de": "Was soll ich {provider} ausrichten? Schreiben Sie in ein paar Sätzen, worum es geht und für welche "
        "Art von Organisation. Ihren Namen und Kontakt gebe ich erst weiter, wenn dort jemand zusagt. "
        "(`/cancel` bricht ab)",
        "en": "What shall I tell {provider}? Write in a few sentences what it is about and for which kind of "
        "organisation. I pass on your name and contact only once someone there says yes. (`/cancel` stops)",
    },
    "ask-message": {
        "de": "Worum geht es Ihnen, in ein, zwei Sätzen? Ich baue daraus eine Nachricht an {provider}, die Sie "
        "selbst versenden. (`-` für eine Vorlage ohne Anliegen, `/cancel` bricht ab)",
        "en": "What is it about, in a sentence or two? I turn it into a message to {provider} that you send "
        "yourself. (`-` for a template without it, `/cancel` stops)",
    },
    "referral-empty": {"de": "Ohne Anliegen kann ich nichts weitergeben. Tippen Sie bitte noch einmal auf den Knopf.",
                       "en": "I cannot pass on an empty request. Please tap the button again."},
    "referral-pending": {
        "de": "Ihre Anfrage an diese Stelle ist schon unterwegs. Den Stand sehen Sie mit `/kompass referrals`.",
        "en": "Your request to this provider is on its way already. See where it stands with `/kompass referrals`.",
    },
    "referral-sent": {
        "de": "Ich habe Ihre Anfrage (Nr. {id}) an {provider} weitergegeben. Sobald dort jemand zusagt, bekommen "
        "Sie beide den Kontakt des anderen. Den Stand sehen Sie mit `/kompass referrals`.",
        "en": "I have passed your request (no. {id}) to {provider}. Once someone there says yes, you both get "
        "each other's contact. See where it stands with `/kompass referrals`.",
    },
    "referral-request": {
        "de": "**Anfrage über den Beratungskompass** zu Ihrem Angebot „{offer}“ ({provider}):\n\n{request}\n\n"
        "Möchten Sie Kontakt aufnehmen? Mit Ja bekommen Sie beide den Kontakt des anderen. Die Anfrage gilt bis "
        "{until}.",
        "en": "**Request through the Kompass** about your offer “{offer}” ({provider}):\n\n{request}\n\n"
        "Would you like to get in touch? With yes you both get each other's contact. The request is open until "
        "{until}.",
    },
    "referral-yes": {"de": "Ja, gern", "en": "Yes, please"},
    "referral-no": {"de": "Nein, diesmal nicht", "en": "No, not this time"},
    "referral-accepted": {
        "de": "**Gute Nachricht:** Ihre Anfrage zu „{offer}“ wurde angenommen. Ihr Kontakt: {handle}",
        "en": "**Good news:** your request about “{offer}” was accepted. Your contact: {handle}",
    },
    "referral-accepted-contact": {
        "de": "Danke! Die Anfrage zu „{offer}“ kam von {handle}:\n\n{request}",
        "en": "Thank you! The request about “{offer}” came from {handle}:\n\n{request}",
    },
    "referral-accepted-thanks": {"de": "Danke, ich bringe Sie zusammen.",
                                 "en": "Thank you, I am putting you in touch."},
    "referral-declined-thanks": {"de": "Danke für Ihre Rückmeldung.", "en": "Thank you for letting me know."},
    "referral-too-late": {"de": "Diese Anfrage ist nicht mehr offen.", "en": "This request is no longer open."},
    "referral-not-this-time": {
        "de": "Ihre Anfrage zu „{offer}“ ist diesmal nicht zustande gekommen. Sie erreichen die Stelle direkt: "
        "{reach} – oder lassen Sie sich mit `/kompass show {id}` eine Nachricht zum Selbstversenden geben.",
        "en": "Your request about “{offer}” did not come about this time. You can reach the provider directly: "
        "{reach} – or get a message to send yourself with `/kompass show {id}`.",
    },
    "ready-message-intro": {
        "de": "Hier ist Ihre Nachricht zum Kopieren. Kontakt: {reach}",
        "en": "Here is your message to copy. Contact: {reach}",
    },
    "ready-message": {
        "de": "Guten Tag,\n\nich bin über den Beratungskompass von Lotse auf Ihr Angebot „{offer}“ ({provider}) "
        "aufmerksam geworden.\n\n{concern}\n\nKönnen Sie mir sagen, ob und wie Sie dabei unterstützen? Ich freue "
        "mich auf Ihre Antwort.\n\nMit freundlichen Grüßen",
        "en": "Hello,\n\nI found your offer “{offer}” ({provider}) through Lotse's Kompass.\n\n{concern}\n\nCould "
        "you tell me whether and how you can support this? I look forward to hearing from you.\n\nKind regards",
    },
    "message-concern-placeholder": {"de": "[Ihr Anliegen in ein, zwei Sätzen]",
                                    "en": "[your request in a sentence or two]"},
    "no-referrals": {"de": "Sie haben noch keine Anfragen über den Kompass.",
                     "en": "You have no requests through the Kompass yet."},
    "referrals": {"de": "**Ihre Anfragen**", "en": "**Your requests**"},
    "referrals-hint": {"de": "Erledigt? `/kompass done NR`", "en": "Settled? `/kompass done NO`"},
    "as-contact": {"de": "(an Sie als Kontakt)", "en": "(to you as the contact)"},
    "state-prepared": {"de": "Nachricht vorbereitet", "en": "message prepared"},
    "state-sent": {"de": "gesendet", "en": "sent"},
    "state-accepted": {"de": "angenommen", "en": "accepted"},
    "state-declined": {"de": "nicht zustande gekommen", "en": "did not come about"},
    "state-expired": {"de": "nicht zustande gekommen", "en": "did not come about"},
    "state-done": {"de": "erledigt", "en": "done"},
    "referral-done": {"de": "Anfrage Nr. {id} ist als erledigt vermerkt. Danke!",
                      "en": "Request no. {id} is marked as done. Thank you!"},
    "referral-not-yours": {
        "de": "Nr. {id} ist keine offene oder angenommene Anfrage von Ihnen.",
        "en": "No. {id} is not an open or accepted request of yours.",
    },
    "radar-saved": {"de": "Ihr Förderradar ist gespeichert.", "en": "Your funding radar is saved."},
    "radar-status": {
        "de": "Förderaufrufe zu: {topics}; für: {audience}; Gebiet: {place}. Sie stehen in Ihrem Digest "
        "(`/digest weekly`), und ich erinnere Sie vor jeder Frist.",
        "en": "Funding calls on: {topics}; for: {audience}; area: {place}. They appear in your digest "
        "(`/digest weekly`), and I remind you before each deadline.",
    },
    "radar-off": {"de": "Ihr Förderradar ist beendet.", "en": "Your funding radar is switched off."},
    "radar-none": {
        "de": "Sie haben kein Förderradar. Zum Beispiel: `/kompass radar KI, Barrierefreiheit | Sachsen | Kommune`.",
        "en": "You have no funding radar. For example: `/kompass radar AI, accessibility | Saxony | municipality`.",
    },
    "all-topics": {"de": "alle Themen", "en": "all topics"},
    "any-audience": {"de": "jede Organisation", "en": "any organisation"},
    "no-calls": {"de": "Gerade gibt es keine offenen Förderaufrufe, die passen.",
                 "en": "There are no open funding calls that fit right now."},
    "section-calls": {"de": "**Förderaufrufe für Sie**", "en": "**Funding calls for you**"},
    "more-calls": {"de": "… und {count} weitere: `/kompass radar`", "en": "… and {count} more: `/kompass radar`"},
    "deadline-reminder": {
        "de": "**Fristerinnerung:** In {days} Tagen, am {date}, endet die Frist:\n\n{line}",
        "en": "**Deadline reminder:** in {days} days, on {date}, the deadline ends:\n\n{line}",
    },
    "stale-notice": {
        "de": "**Beratungskompass:** {count} Einträge wurden zu lange nicht geprüft. Bitte prüfen und mit "
        "`/offer checked ID` oder `/provider checked ID` bestätigen:\n\n{lines}",
        "en": "**Kompass:** {count} entries have not been checked for too long. Please check them and confirm "
        "with `/offer checked ID` or `/provider checked ID`:\n\n{lines}",
    },
    "stale-more": {"de": "… und {count} weitere: `/offer stale`", "en": "… and {count} more: `/offer stale`"},
    "stale-list": {"de": "**{count} Einträge zu lange nicht geprüft:**", "en": "**{count} entries not checked for "
                   "too long:**"},
    "nothing-stale": {"de": "Alle Einträge sind aktuell geprüft.", "en": "Every entry has been checked recently."},
    "provider-usage": {
        "de": "So geht es:\n\n- `/provider add` (geführt) oder `/provider add name=… | kind=… | website=https://… | "
        "area=Berlin | contact=… | contact_person=telegram:123`\n- `/provider edit ID feld wert`, "
        "`/provider withdraw ID`, `/provider restore ID`\n- `/provider show ID`, `/provider list`, "
        "`/provider history ID`, `/provider revert ID VERSION`, `/provider checked ID`",
        "en": "Usage:\n\n- `/provider add` (guided) or `/provider add name=… | kind=… | website=https://… | "
        "area=Berlin | contact=… | contact_person=telegram:123`\n- `/provider edit ID field value`, "
        "`/provider withdraw ID`, `/provider restore ID`\n- `/provider show ID`, `/provider list`, "
        "`/provider history ID`, `/provider revert ID VERSION`, `/provider checked ID`",
    },
    "offer-usage": {
        "de": "So geht es:\n\n- `/offer add` (geführt) oder `/offer add provider=ID | kind=advice | title=… | "
        "topics=KI, Barrierefreiheit | area=Sachsen | link=https://… | cost=free | deadlines=31.03.2027`\n"
        "- `/offer edit ID feld wert`, `/offer withdraw ID`, `/offer restore ID`\n- `/offer show ID`, "
        "`/offer list [ANBIETER]`, `/offer history ID`, `/offer revert ID VERSION`, `/offer checked ID`, "
        "`/offer stale`",
        "en": "Usage:\n\n- `/offer add` (guided) or `/offer add provider=ID | kind=advice | title=… | "
        "topics=AI, accessibility | area=Saxony | link=https://… | cost=free | deadlines=31.03.2027`\n"
        "- `/offer edit ID field value`, `/offer withdraw ID`, `/offer restore ID`\n- `/offer show ID`, "
        "`/offer list [PROVIDER]`, `/offer history ID`, `/offer revert ID VERSION`, `/offer checked ID`, "
        "`/offer stale`",
    },
    "ask-provider-name": {"de": "Wie heißt der Anbieter? (`/cancel` bricht ab)",
                          "en": "What is the provider's name? (`/cancel` stops)"},
    "ask-provider-kind": {
        "de": "Welche Art? Beratungsstelle, Kammer, Kompetenzzentrum, Agentur oder Behörde, Verband, Stiftung, "
        "Unternehmen",
        "en": "Which kind? Advice centre, chamber, competence centre, agency or authority, association, "
        "foundation, company",
    },
    "ask-provider-website": {"de": "Die Website? (https://…, `-` für keine)",
                             "en": "The website? (https://…, `-` for none)"},
    "ask-provider-area": {"de": "Für welches Gebiet? Bundesweit, ein Land, ein Kreis oder eine Stadt (Name, PLZ oder "
                          "Regionalschlüssel)",
                          "en": "For which area? Nationwide, a state, a district or a city (name, postcode or "
                          "region key)"},
    "ask-offer-provider": {"de": "Von welchem Anbieter (ID, siehe `/provider list`)? (`/cancel` bricht ab)",
                           "en": "From which provider (id, see `/provider list`)? (`/cancel` stops)"},
    "ask-offer-kind": {"de": "Welche Art? Beratung, Schulung, Förderprogramm, Werkzeug, Netzwerk",
                       "en": "Which kind? Advice, training, funding programme, tool, network"},
    "ask-offer-title": {"de": "Der Titel des Angebots?", "en": "The offer's title?"},
    "ask-offer-topics": {"de": "Zu welchen Themen, durch Kommas getrennt? (z. B. KI, Fördermittel)",
                         "en": "On which topics, separated by commas? (e.g. AI, funding)"},
    "ask-offer-area": {"de": "Für welches Gebiet? (`-`: das des Anbieters)",
                       "en": "For which area? (`-`: the provider's)"},
    "saved": {"de": "Gespeichert: {kind} `{id}`, Version {version}.", "en": "Saved: {kind} `{id}`, version {version}."},
    "withdrawn": {"de": "`{id}` ist zurückgezogen (wiederherstellen mit `restore`).",
                  "en": "`{id}` is withdrawn (bring it back with `restore`)."},
    "restored": {"de": "`{id}` ist wieder da.", "en": "`{id}` is back."},
    "withdrawn-mark": {"de": "zurückgezogen", "en": "withdrawn"},
    "marked-checked": {"de": "`{id}` ist als geprüft am {date} vermerkt.",
                       "en": "`{id}` is marked as checked on {date}."},
    "no-provider": {"de": "Den Anbieter `{id}` finde ich nicht.", "en": "I cannot find the provider `{id}`."},
    "no-offer": {"de": "Das Angebot `{id}` finde ich nicht.", "en": "I cannot find the offer `{id}`."},
    "no-version": {"de": "`{id}` hat keine Version {version}.", "en": "`{id}` has no version {version}."},
    "history": {"de": "**Versionen von `{id}`**", "en": "**Versions of `{id}`**"},
    "nothing-listed": {"de": "Noch nichts eingetragen.", "en": "Nothing listed yet."},
    "more-listed": {"de": "… und {count} weitere", "en": "… and {count} more"},
    "unknown-field": {"de": "Dieses Feld gibt es nicht. Möglich sind: {fields}.",
                      "en": "There is no such field. Possible: {fields}."},
    "value-missing": {"de": "Bitte geben Sie einen Wert an.", "en": "Please give a value."},
    "invalid-link": {"de": "Das sieht nicht nach einem Link aus. Bitte mit https:// beginnen.",
                     "en": "That does not look like a link. Please start with https://."},
    "invalid-kind": {"de": "Diese Art kenne ich nicht.", "en": "I do not know that kind."},
    "invalid-cost": {"de": "Kosten bitte als free, mixed oder paid (kostenfrei, teils, kostenpflichtig).",
                     "en": "Cost please as free, mixed or paid."},
    "invalid-funding-type": {"de": "Förderart bitte als grant, loan, voucher, prize oder in-kind.",
                             "en": "Funding type please as grant, loan, voucher, prize or in-kind."},
    "invalid-area": {
        "de": "Dieses Gebiet kenne ich nicht. Bitte ein Land, einen Kreis, eine Stadt, eine PLZ, einen "
        "Regionalschlüssel oder „bundesweit“.",
        "en": "I do not know that area. Please give a state, district, city, postcode, region key or "
        "“nationwide”.",
    },
    "invalid-topics": {"de": "Dazu habe ich kein Thema gefunden. Die Themen sind die der Profile (`/profile`).",
                       "en": "I found no topic in that. The topics are those of the profiles (`/profile`)."},
    "invalid-audiences": {"de": "Zielgruppen bitte als Kommunen, Kultur, Soziales/Vereine, Unternehmen oder "
                          "Landesverwaltung.",
                          "en": "Target groups please as municipalities, culture, social/associations, companies "
                          "or state administration."},
    "invalid-languages": {"de": "Sprachen bitte als de und/oder en.", "en": "Languages please as de and/or en."},
    "invalid-date": {"de": "Dieses Datum verstehe ich nicht. Bitte z. B. `31.03.2027`.",
                     "en": "I do not understand that date. Please write e.g. `31.03.2027`."},
    "invalid-person": {"de": "Bitte eine Lotse-ID wie `telegram:123456` oder `matrix:@anna:example.org`.",
                       "en": "Please give a Lotse id such as `telegram:123456` or `matrix:@anna:example.org`."},
    "invalid-provider": {"de": "Diesen Anbieter gibt es nicht (siehe `/provider list`).",
                         "en": "There is no such provider (see `/provider list`)."},
    "stats": {
        "de": "**Beratungskompass**\n\n- Angebote: {offers} von {providers} Anbietern, davon zu lange nicht geprüft: "
        "{stale}\n- Anfragen: {sent} gesendet, {accepted} angenommen, {done} erledigt, {declined} abgelehnt, "
        "{expired} ohne Antwort, {prepared} als Nachricht zum Selbstversenden\n- Förderradar-Abos: {radar}",
        "en": "**Kompass**\n\n- offers: {offers} from {providers} providers, not checked for too long: {stale}\n"
        "- requests: {sent} sent, {accepted} accepted, {done} done, {declined} declined, {expired} unanswered, "
        "{prepared} as a message to send oneself\n- funding radar subscriptions: {radar}",
    },
}
PHRASES = Phrasebook(TEXTS)
