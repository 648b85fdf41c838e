"""German–English synonym groups for the digital pilots' domain, kept as data.

Each group is a set of words or phrases that mean the same thing here; the index maps every member
to one shared term, so "Passwort", "Kennwort" and "password" match each other. Groups are meant to
be tight: a word with two senses in this domain belongs to no group rather than to the wrong one.
Members are written in plain lowercase; umlauts, inflection and hyphens are normalised on use.
Everyday words with a second, general sense stay out ("sicher" is sure as often as secure, "act"
a verb, "programme" a funding programme, "sign" a signature, "office" the software, "work" any
verb): a question made of them would otherwise look like a question about the group's topic.
"""

from __future__ import annotations

from knowledge.entry import LANGUAGES
from knowledge.normaliser import Stems, tokenize

GROUP_PREFIX = "="
"""Group terms start with a character no stem contains, so they never collide with a word."""

INFLECTIONS = ("e", "en", "er", "es", "n", "s", "nen")
"""Endings a member takes in questions ("Sicherheiten", "Kennwörtern"); stems alone would say
too much, since German stemming cuts derivations too ("Sicherheit" and "sicher" share "sich")."""
MAX_STEM_CUT = 3
"""A member's stem stands for it only when stemming cut an ending of at most this many letters."""

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    # IT security
    ("passwort", "passwörter", "kennwort", "kennwörter", "password", "passwords", "passphrase"),
    ("zugangsdaten", "anmeldedaten", "logindaten", "credentials", "login", "logins", "login data"),
    ("anmelden", "anmeldung", "einloggen", "sign in", "log in", "signin"),
    ("zwei-faktor-authentifizierung", "2fa", "mfa", "two-factor authentication", "multi-factor authentication",
     "zwei-faktor", "two-factor", "mehr-faktor-authentifizierung", "2-faktor-authentifizierung"),
    ("authentifizierung", "authentication"),
    ("faktor", "factor"),
    ("informationssicherheit", "it-sicherheit", "information security", "it security", "cybersecurity",
     "cyber security", "cybersicherheit", "infosec"),
    ("sicherheit", "security", "secure", "safety"),
    ("verschlüsselung", "verschlüsseln", "verschlüsselt", "encryption", "encrypt", "encrypted"),
    ("datensicherung", "backup", "backups", "sicherungskopie"),
    ("wiederherstellung", "wiederherstellen", "restore", "recovery"),
    ("schadsoftware", "malware", "schadprogramm", "virus", "viren", "trojaner", "trojan"),
    ("ransomware", "erpressungssoftware", "erpressungstrojaner", "verschlüsselungstrojaner"),
    ("lösegeld", "ransom", "ransom demand"),
    ("gefälscht", "fake", "fälschung", "forged", "counterfeit", "spoofed"),
    ("betrug", "betrügerisch", "fraud", "fraudulent", "scam"),
    ("email", "e-mail", "mail", "emails", "e-mails", "mails"),
    ("anhang", "anhänge", "attachment", "attachments", "dateianhang"),
    ("gerät", "geräte", "device", "devices", "endgerät", "endgeräte"),
    ("handy", "smartphone", "mobiltelefon", "mobile phone", "cell phone", "phone", "phones", "handys"),
    ("laptop", "notebook", "laptops"),
    ("privat", "private", "privately"),
    ("homeoffice", "home office", "remote work", "remote working", "working from home", "work from home",
     "telearbeit", "mobiles arbeiten", "mobile arbeit"),
    ("zugriff", "access", "zugriffsrechte", "access rights"),
    ("firewall", "firewalls"),
    ("notfall", "emergency", "incident", "sicherheitsvorfall", "security incident", "vorfall"),
    ("update", "updates", "aktualisierung", "patch", "patches"),
    # data protection
    ("datenschutz", "data protection", "privacy"),
    ("dsgvo", "gdpr", "ds-gvo", "datenschutz-grundverordnung", "general data protection regulation"),
    ("personenbezogene daten", "personal data", "personendaten", "personally identifiable information", "pii"),
    ("daten", "data"),
    ("auftragsverarbeitung", "data processing on behalf", "processing on behalf"),
    ("auftragsverarbeitungsvertrag", "av-vertrag", "avv", "data processing agreement", "dpa"),
    ("verarbeitungsverzeichnis", "record of processing activities", "ropa",
     "verzeichnis von verarbeitungstätigkeiten"),
    ("datenpanne", "data breach", "datenschutzverletzung", "datenleck", "data leak", "breach"),
    ("melden", "meldung", "report", "notify", "notification", "meldepflicht"),
    ("datenschutzbeauftragter", "datenschutzbeauftragte", "dpo", "dsb"),
    ("informationssicherheitsbeauftragter", "informationssicherheitsbeauftragte", "isb", "ciso",
     "information security officer"),
    ("datenschutz-folgenabschätzung", "dsfa", "dpia", "data protection impact assessment"),
    ("einwilligung", "consent", "zustimmung", "einverständnis"),
    ("konform", "konformität", "compliance", "rechtskonform", "regelkonform"),
    ("vertraulich", "confidential", "sensibel", "sensitive"),
    # accessibility
    ("barrierefreiheit", "barrierefrei", "accessibility", "accessible", "barrierearm"),
    ("barrierefreiheitserklärung", "accessibility statement", "erklärung zur barrierefreiheit"),
    ("bildschirmleser", "screenreader", "screen reader", "screen readers", "vorlesesoftware"),
    ("alternativtext", "alt text", "alt-text", "alttext", "alternative text", "bildbeschreibung"),
    ("untertitel", "caption", "captions", "subtitles", "bildunterschrift"),
    ("leichte sprache", "easy language", "easy-to-read", "easy read"),
    ("einfache sprache", "plain language"),
    ("barrierefreiheitsstärkungsgesetz", "bfsg", "european accessibility act"),
    ("bitv", "bitv 2.0", "barrierefreie-informationstechnik-verordnung"),
    # funding
    ("förderung", "fördermittel", "fördergeld", "fördergelder", "funding", "grant", "grants", "subsidy",
     "subsidies", "zuschuss", "zuschüsse", "zuwendung", "funds"),
    ("förderantrag", "grant application", "grant proposal", "funding proposal"),
    ("förderprogramm", "förderprogramme", "funding programme", "funding program", "funding scheme"),
    ("fördergeber", "geldgeber", "zuwendungsgeber", "funding body", "donor"),
    ("verwendungsnachweis", "proof of use", "final grant report"),
    ("finanzierung", "financing", "finance"),
    ("spende", "spenden", "donation", "donations", "donate"),
    ("günstig", "cheap", "inexpensive", "preiswert", "affordable", "kostengünstig", "rabatt",
     "discount", "vergünstigt"),
    ("kostenlos", "kostenfrei", "umsonst", "free of charge", "no cost", "for free"),
    ("kosten", "cost", "costs", "preis", "price", "prices"),
    ("frist", "fristen", "deadline", "deadlines"),
    # e-government and administration
    ("e-akte", "elektronische akte", "e-file", "e-files", "electronic file", "electronic files",
     "digitale akte", "elektronische aktenführung", "electronic records"),
    ("akte", "akten", "record", "records"),
    ("datei", "dateien", "file", "files"),
    ("dokument", "dokumente", "document", "documents", "unterlagen", "unterlage"),
    ("dokumentenmanagementsystem", "dms", "document management system", "document management"),
    ("e-rechnung", "e-invoice", "e-invoicing", "electronic invoice", "elektronische rechnung"),
    ("rechnung", "rechnungen", "invoice", "invoices"),
    ("signatur", "unterschrift", "signature", "signatures", "unterschreiben", "signieren"),
    ("onlinezugangsgesetz", "ozg", "online access act"),
    ("bürger", "bürgerinnen", "bürgerin", "citizen", "citizens", "einwohner", "einwohnerinnen", "residents"),
    ("konto", "konten", "account", "accounts", "benutzerkonto", "nutzerkonto", "user account"),
    ("ausweis", "personalausweis", "id card", "identity card", "online-ausweis", "eid"),
    ("verwaltung", "administration", "public administration", "öffentliche verwaltung", "behörde",
     "behörden", "authority", "authorities", "public authority", "public authorities", "amt", "ämter",
     "public sector", "öffentlicher sektor", "öffentliche stelle", "öffentliche stellen", "public body",
     "public bodies"),
    ("kommune", "kommunen", "gemeinde", "gemeinden", "municipality", "municipalities", "municipal",
     "kommunal", "stadt", "städte", "city", "cities", "town", "towns"),
    ("rathaus", "town hall", "city hall"),
    ("landkreis", "landkreise", "district", "county", "kreisverwaltung"),
    ("gesetz", "gesetze", "law", "laws"),
    ("verordnung", "regulation", "regulations", "ordinance"),
    ("ki-verordnung", "ai act", "eu ai act", "ki-vo", "ai regulation"),
    ("richtlinie", "richtlinien", "policy", "policies", "guideline", "guidelines", "leitlinie", "leitlinien"),
    ("dienstanweisung", "dienstvereinbarung", "internal policy", "internal guideline", "usage policy"),
    ("regel", "regeln", "rule", "rules", "vorgaben", "vorgabe"),
    ("pflicht", "pflichten", "obligation", "obligations", "duty", "duties", "mandatory", "verpflichtend",
     "obligatory", "verpflichtet"),
    ("erlaubt", "erlauben", "erlaubnis", "allowed", "allow", "permitted", "permission", "zulässig",
     "permissible", "dürfen", "darf", "darfst", "dürft"),
    ("dienstlich", "beruflich", "geschäftlich", "work-related", "business use"),
    ("prozess", "prozesse", "process", "processes", "ablauf", "abläufe", "workflow", "workflows",
     "arbeitsablauf", "geschäftsprozess", "geschäftsprozesse", "verwaltungsprozess"),
    ("modellieren", "modellierung", "modelling", "modeling", "prozessmodellierung",
     "process modelling"),
    ("priorisieren", "priorisierung", "prioritize", "prioritise", "prioritization", "prioritisation",
     "priority", "priorities", "priorität", "prioritäten"),
    ("maßnahme", "maßnahmen", "measure", "measures", "action items"),
    ("strategie", "strategien", "strategy", "strategies"),
    ("digitalisierung", "digitalisieren", "digitalisation", "digitalization", "digitisation",
     "digitization", "digitise", "digitize", "digitalise", "digital transformation",
     "digitale transformation"),
    ("verwaltungsleistung", "verwaltungsleistungen", "public service", "public services",
     "administrative service", "administrative services"),
    ("onlinedienst", "onlinedienste", "online service", "online services", "e-service", "e-services",
     "digital service", "digital services", "digitaler dienst"),
    ("dienstleistung", "dienstleistungen", "service", "services"),
    ("dienstleister", "service provider", "service providers", "it-dienstleister", "contractor",
     "contractors"),
    ("anbieter", "provider", "providers", "vendor", "vendors", "supplier", "suppliers", "lieferant",
     "hersteller"),
    ("vertrag", "verträge", "contract", "contracts", "agreement", "agreements", "vereinbarung",
     "vereinbarungen"),
    ("ausschreibung", "ausschreiben", "tender", "tendering", "call for tenders"),
    ("beschaffung", "beschaffen", "procurement", "purchasing", "einkauf", "vergabe"),
    ("anforderung", "anforderungen", "requirement", "requirements"),
    ("abhängigkeit", "abhängigkeiten", "dependency", "dependence", "lock-in", "vendor lock-in"),
    ("wechseln", "wechsel", "switch", "switching", "migration", "migrate", "umstieg",
     "umsteigen"),
    # AI
    ("ki", "künstliche intelligenz", "ai", "artificial intelligence", "a.i."),
    ("sprachmodell", "sprachmodelle", "language model", "language models", "llm", "llms",
     "large language model", "large language models"),
    ("chatbot", "chatbots", "chat bot", "chat bots"),
    ("generativ", "generative", "generativen", "generativer"),
    ("halluzination", "halluzinationen", "halluzinieren", "hallucination", "hallucinations", "hallucinate"),
    ("faktencheck", "fact-checking", "fact check", "fact-check", "faktenprüfung"),
    ("prompt", "prompts", "prompting"),
    # software and infrastructure
    ("open source", "open-source", "quelloffen", "freie software", "free software", "oss",
     "open-source-software", "open source software"),
    ("quellcode", "source code", "programmcode"),
    ("offene daten", "open data", "opendata", "offene verwaltungsdaten", "open government data"),
    ("lizenz", "lizenzen", "license", "licence", "licenses", "licences", "licensing", "lizenzierung"),
    ("software", "anwendung", "anwendungen", "app", "apps", "applikation"),
    ("tool", "tools", "werkzeug", "werkzeuge"),
    ("cloud", "cloud-dienst", "cloud-dienste", "cloud service", "cloud services", "clouddienst"),
    ("hosten", "hosting", "self-hosted", "selbst gehostet", "self-hosting", "self host"),
    ("lokal", "local", "locally", "on-premises", "on-premise", "on-prem", "vor ort"),
    ("server", "servers"),
    ("dateiablage", "file storage", "file sharing", "filesharing", "ablage"),
    ("speichern", "speichert", "speicherung", "store", "stores", "storing", "storage"),
    ("teilen", "share", "sharing", "geteilt", "shared"),
    ("website", "webseite", "webseiten", "websites", "homepage", "internetseite", "internetauftritt",
     "webauftritt", "site", "sites", "web site", "web page", "webpage"),
    ("messenger", "messaging app", "instant messenger", "chat app"),
    ("videokonferenz", "videokonferenzen", "video conference", "video conferences", "videoconference",
     "video conferencing", "video call", "video calls", "online meeting", "online meetings",
     "web conference", "videocall", "videokonferenzsystem", "videokonferenztool"),
    ("besprechung", "besprechungen", "meeting", "meetings", "sitzung", "sitzungen"),
    ("büro", "büros"),
    ("nutzer", "nutzerin", "nutzerinnen", "nutzende", "benutzer", "benutzerin", "anwender", "anwenderin",
     "user", "users"),
    ("nutzerfreundlichkeit", "benutzerfreundlichkeit", "usability", "gebrauchstauglichkeit",
     "user-friendliness"),
    ("nutzertest", "nutzertests", "usability test", "usability testing", "user testing", "user test"),
    ("umfrage", "umfragen", "survey", "surveys", "befragung"),
    ("newsletter", "rundbrief", "newsletters"),
    ("social media", "soziale medien", "soziale netzwerke", "social network", "social networks"),
    ("beitrag", "beiträge", "posts", "posting"),
    ("foto", "fotos", "photo", "photos", "bild", "bilder", "image", "images", "picture", "pictures",
     "aufnahme", "aufnahmen", "photograph", "photographs"),
    ("veröffentlichen", "veröffentlichung", "publish", "publishing", "publication", "published"),
    ("vernichten", "destroy", "shred", "entsorgen", "wegwerfen", "dispose", "throw away"),
    ("löschen", "delete", "deletion", "erase", "löschung"),
    ("scannen", "scan", "scanning", "scans"),
    ("papier", "paper", "papierakte", "paper file", "paper files", "papierakten"),
    ("verschicken", "versenden", "senden", "schicken", "send", "sending", "übermitteln", "transmit"),
    # organisations and people
    ("verein", "vereine", "association", "associations", "club", "clubs"),
    ("gemeinnützig", "gemeinnützige", "non-profit", "nonprofit", "non-profits", "ngo", "ngos"),
    ("unternehmen", "company", "companies", "business", "businesses", "firma", "firmen", "enterprise",
     "enterprises", "firm"),
    ("kmu", "sme", "smes", "small and medium-sized enterprises", "mittelstand"),
    ("kleinstunternehmen", "micro-enterprise", "micro enterprise", "microenterprise"),
    ("organisation", "organization", "organisations", "organizations", "einrichtung", "einrichtungen",
     "institution", "institutions"),
    ("kultureinrichtung", "kultureinrichtungen", "cultural institution", "cultural institutions"),
    ("kultur", "culture", "cultural", "kulturell"),
    ("museum", "museen", "museums"),
    ("bibliothek", "bibliotheken", "library", "libraries", "bücherei"),
    ("archiv", "archive", "archives", "archivierung", "archiving"),
    ("sammlung", "sammlungen", "collection", "collections", "bestand", "bestände"),
    ("theater", "theatre", "theaters", "theatres", "bühne"),
    ("mitarbeitende", "mitarbeiter", "mitarbeiterin", "mitarbeiterinnen", "beschäftigte", "belegschaft",
     "staff", "employee", "employees", "workforce"),
    ("kollege", "kollegin", "kollegen", "kolleginnen", "colleague", "colleagues"),
    ("ehrenamt", "ehrenamtliche", "ehrenamtlich", "ehrenamtlicher", "freiwillige", "volunteer",
     "volunteers", "volunteering"),
    ("digitallotse", "digitallotsen", "digitallotsin", "digitallotsinnen", "digitalisierungslotse",
     "digitalisierungslotsen", "digital pilot", "digital pilots"),
    ("lotse", "lotsin", "lotsen", "lotsinnen", "pilot", "pilots"),
    ("team", "teams", "arbeitsgruppe"),
    ("rolle", "rollen", "role", "roles"),
    ("aufgabe", "aufgaben", "task", "tasks", "zuständigkeit", "zuständigkeiten", "responsibility",
     "responsibilities"),
    ("kunde", "kunden", "customer", "customers", "client", "clients"),
    ("empfänger", "empfängerin", "recipient", "recipients"),
    # working methods
    ("agil", "agile", "agility", "agilität"),
    ("retrospektive", "retrospektiven", "retrospective", "retrospectives"),
    ("projekt", "projekte", "project", "projects"),
    ("schulung", "schulungen", "training", "trainings", "fortbildung", "fortbildungen", "weiterbildung",
     "weiterbildungen", "kurs", "kurse", "course", "courses", "lehrgang", "qualifizierung"),
    ("schulungskonzept", "training plan", "training concept", "training programme"),
    ("einführung", "einführen", "introduce", "introducing", "introduction", "rollout", "roll out",
     "roll-out"),
    ("umsetzung", "umsetzen", "implement", "implementing", "implementation"),
    ("veränderung", "veränderungen", "change", "changes", "wandel", "change management",
     "veränderungsmanagement"),
    ("widerstand", "widerstände", "resistance", "pushback"),
    ("kommunikation", "communication", "kommunizieren", "communicate"),
    ("analyse", "analysieren", "analysis", "analyse", "analyze", "analysing", "analyzing"),
    ("bewertung", "bewerten", "assessment", "assess", "evaluation", "evaluate", "einschätzung",
     "einschätzen"),
    ("risiko", "risiken", "risk", "risks"),
    ("reifegrad", "maturity level", "digital maturity", "digitale reife", "reife", "maturity"),
    ("fortschritt", "progress", "fortschritte"),
    ("dokumentation", "documentation", "dokumentieren"),
    ("vorlage", "vorlagen", "template", "templates", "muster", "mustervorlage", "sample"),
    ("beispiel", "beispiele", "example", "examples", "praxisbeispiel", "praxisbeispiele",
     "use case", "use cases", "anwendungsfall", "anwendungsfälle"),
    ("checkliste", "checklisten", "checklist", "checklists"),
    ("anleitung", "anleitungen", "guide", "guides", "leitfaden", "handreichung", "guidance", "tutorial",
     "how-to"),
    ("tipp", "tipps", "tip", "tips", "hinweis", "hinweise", "ratschlag", "ratschläge", "advice"),
    ("kriterium", "kriterien", "criterion", "criteria"),
    ("merkmal", "merkmale", "anzeichen", "indicator", "indicators", "characteristics"),
    ("erkennen", "erkennt", "erkennung", "recognise", "recognize", "spotting", "identify",
     "detect", "detection"),
    ("auswahl", "auswählen", "wählen", "choose", "choosing", "select", "selecting", "selection", "choice"),
    ("empfehlung", "empfehlungen", "empfehlen", "recommend", "recommendation", "recommendations",
     "recommended"),
    ("testen", "test", "tests", "testing", "prüfen", "überprüfen", "check", "checking", "prüfung",
     "überprüfung"),
    ("schreiben", "write", "writing", "verfassen", "formulieren", "draft", "drafting"),
    ("erstellen", "create", "creating", "anlegen"),
    ("nutzen", "nutzung", "verwenden", "verwendung", "einsetzen", "einsatz", "benutzen", "anwenden",
     "use", "using", "usage"),
    ("brauchen", "benötigen", "need", "needs", "require", "requires", "erforderlich", "nötig", "notwendig",
     "necessary", "required"),
    ("start", "starten", "anfangen", "beginnen", "einstieg", "begin", "get started", "getting started",
     "loslegen", "erste schritte"),
    ("schritt", "schritte", "step", "steps"),
    ("hilfe", "help", "unterstützung", "unterstützen", "support", "assistance"),
    ("beratung", "consulting", "consultation", "advisory", "beraten"),
    ("gute praxis", "good practice", "best practice", "best practices", "bewährte verfahren"),
    ("kontakt", "contact", "ansprechpartner", "ansprechperson", "contact person"),
    ("veranstaltung", "veranstaltungen", "event", "events"),
    ("buchen", "buchung", "reservieren", "reservierung", "booking", "reserve", "reservation"),
    ("klein", "kleine", "small", "little"),
    ("groß", "große", "large", "big"),
    ("neu", "neue", "new"),
    ("intern", "interne", "internal"),
    ("extern", "externe", "external"),
    ("aktuell", "current", "up to date", "up-to-date"),
    ("unterschied", "unterschiede", "difference", "differences", "vergleich", "comparison"),
    ("sprache", "language"),
    ("kennzahl", "kennzahlen", "kpi", "kpis", "metric", "metrics"),
    ("geld", "money"),
    ("arbeit", "arbeiten"),
)


class SynonymTable:
    """Maps a word, its stem or a phrase of words to the shared term of its synonym group."""

    def __init__(self, groups: tuple[tuple[str, ...], ...], stems: Stems) -> None:
        self._words: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        self._phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            key = GROUP_PREFIX + "_".join(token.surface for token in tokenize(group[0]))
            for member in group:
                self._add(member, key, stems)
        for word, key in list(self._words.items()):
            for ending in INFLECTIONS:
                self._words.setdefault(word + ending, key)
        self.longest_phrase = max((len(phrase) for phrase in self._phrases), default=1)
        lengths: dict[str, set[int]] = {}
        for phrase in self._phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}
        self._pairs = frozenset(phrase[:2] for phrase in self._phrases)

    def _add(self, member: str, key: str, stems: Stems) -> None:
        surfaces = tuple(token.surface for token in tokenize(member))
        if len(surfaces) == 1:
            self._words.setdefault(surfaces[0], key)
            stem = stems.stem(surfaces[0], "de")
            if len(surfaces[0]) - len(stem) <= MAX_STEM_CUT:
                self._stems.setdefault(stem, key)
        elif surfaces:
            self._phrases.setdefault(surfaces, key)
            for language in LANGUAGES:
                self._phrases.setdefault(tuple(stems.stem(word, language) for word in surfaces), key)

    def word(self, surface: str, stem: str) -> str | None:
        """The group term of a single word, found by its spelling first and by its stem second.

        Members are stemmed the German way only: German inflects much more, and English stems
        conflate too eagerly ("meeting" and "meets" both become "meet").
        """
        return self._words.get(surface) or self._stems.get(stem)

    def may_start(self, surface: str, stem: str) -> bool:
        """Whether a phrase may begin with this word; most words begin none, which saves lookups."""
        return surface in self._lengths or stem in self._lengths

    def may_continue(self, surfaces: tuple[str, str], stems: tuple[str, str]) -> bool:
        """Whether two words may open a phrase: a cheap test before trying whole phrases."""
        return surfaces in self._pairs or stems in self._pairs

    def lengths(self, surface: str, stem: str) -> tuple[int, ...]:
        """The lengths of the phrases that may begin with this word, longest first."""
        by_surface = self._lengths.get(surface, ())
        by_stem = self._lengths.get(stem, ())
        return tuple(sorted({*by_surface, *by_stem}, reverse=True)) if by_stem and by_surface else by_surface or by_stem

    def phrase(self, words: tuple[str, ...]) -> str | None:
        """The group term of a phrase of several words (folded surfaces or stems)."""
        return self._phrases.get(words)

    @property
    def words(self) -> dict[str, str]:
        """Every single-word member with its group term, e.g. as targets for typo correction."""
        return dict(self._words)
