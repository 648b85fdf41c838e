"""FAQ matching latency and memory with 100, 1,000 and 10,000 entries.

Run from the repository root: `python bench/faq_latency.py`. The public evaluation knowledge base
is padded with generated entries of domain-like vocabulary (fixed seed); each size is measured in a
fresh subprocess so the resident memory belongs to that size alone. The last line is one JSON object:
`{"bench": "faq_latency", "sizes": {"100": {"p50_ms": …, "p99_ms": …, "rss_mb": …}, …}}`.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from knowledge.entry import Entry  # noqa: E402
from knowledge.files import load_entries  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402

SIZES = (100, 1_000, 10_000)
SEED = 20240611
ROUNDS = 3
"""Every question is asked this often and its fastest run counts: other load on the machine (and the
garbage collector) should not show up as the matcher's latency."""

GERMAN_NOUNS = """
Verwaltung Behörde Kommune Gemeinde Landkreis Rathaus Bürgeramt Verein Stiftung Museum Bibliothek Archiv
Theater Schule Kita Einrichtung Organisation Team Abteilung Leitung Mitarbeitende Ehrenamt Vorstand
Daten Datei Akte Dokument Vorgang Antrag Bescheid Formular Vertrag Rechnung Lizenz Software Anwendung
Server Netzwerk Router Drucker Laptop Tablet Smartphone Konto Postfach Kalender Termin Sitzung Protokoll
Richtlinie Verordnung Gesetz Vorgabe Pflicht Frist Nachweis Bericht Konzept Strategie Plan Maßnahme
Projekt Prozess Ablauf Schnittstelle Portal Plattform Dienst Leistung Angebot Förderung Zuschuss Budget
Haushalt Kosten Beschaffung Ausschreibung Vergabe Anbieter Dienstleister Hersteller Partner Netzwerk
Sicherheit Schutz Datenschutz Verschlüsselung Sicherung Wiederherstellung Zugriff Berechtigung Rolle
Passwort Anmeldung Identität Signatur Zertifikat Schlüssel Barrierefreiheit Sprache Text Bild Video
Webseite Newsletter Umfrage Veranstaltung Schulung Fortbildung Workshop Handbuch Leitfaden Vorlage
Checkliste Beispiel Erfahrung Wissen Austausch Kommunikation Beteiligung Bürger Nutzer Zielgruppe
Qualität Wartung Betrieb Support Störung Ausfall Notfall Risiko Prüfung Bewertung Kennzahl Statistik
Digitalisierung Modernisierung Automatisierung Telefonie Videokonferenz Cloud Speicher Ablage Suche
Entwicklung Einführung Umstellung Migration Integration Veröffentlichung Lizenzierung Finanzierung
""".split()

ENGLISH_NOUNS = """
administration council library museum archive team staff volunteer board data file record document
application contract invoice licence software server network device account mailbox calendar meeting
policy regulation law requirement deadline report concept strategy plan measure project process
workflow interface portal platform service funding grant budget procurement tender vendor provider
security privacy encryption backup recovery access permission role password login identity signature
certificate accessibility language image video website newsletter survey event training workshop guide
template checklist example experience knowledge exchange communication citizen user audience quality
maintenance support outage incident risk audit assessment metric migration integration publication
""".split()

VERBS_DE = """einführen planen prüfen beantragen erstellen dokumentieren schützen sichern auswählen
veröffentlichen verwalten organisieren finanzieren ausschreiben umstellen testen bewerten schulen""".split()
VERBS_EN = """introduce plan check apply create document protect secure choose publish manage organise
fund tender migrate test assess train""".split()
ADJECTIVES_DE = """digital sicher barrierefrei öffentlich kommunal neu klein gemeinsam intern extern
kostenlos rechtssicher einfach schnell zentral lokal offen""".split()
ADJECTIVES_EN = """digital secure accessible public municipal new small shared internal external free
compliant simple fast central local open""".split()
FILLERS_DE = "der die das und mit für von auf bei nach im zur zum ist sind wird werden sollte kann".split()
FILLERS_EN = "the and with for of on at after in to is are will should can".split()


def generated_entries(count: int, rng: random.Random) -> list[Entry]:
    """Entries in the knowledge base's style, made of domain words and fresh compounds of them."""
    entries = []
    for number in range(count):
        english = rng.random() < 0.2
        nouns = ENGLISH_NOUNS if english else GERMAN_NOUNS
        verbs = VERBS_EN if english else VERBS_DE
        adjectives = ADJECTIVES_EN if english else ADJECTIVES_DE
        fillers = FILLERS_EN if english else FILLERS_DE
        compound = rng.choice(nouns) + rng.choice(nouns).lower() if not english else rng.choice(nouns)
        topic = f"{rng.choice(adjectives)} {compound}"
        if english:
            question = f"How do we {rng.choice(verbs)} a {topic}?"
            alternatives = (f"{rng.choice(verbs)} {topic} {rng.choice(nouns)}", f"{topic} for {rng.choice(nouns)}")
        else:
            question = f"Wie können wir {topic} {rng.choice(verbs)}?"
            alternatives = (f"{compound} {rng.choice(verbs)}", f"{topic} für {rng.choice(nouns)}")
        words = []
        for _ in range(rng.randint(50, 110)):
            roll = rng.random()
            if roll < 0.35:
                words.append(rng.choice(fillers))
            elif roll < 0.7:
                words.append(rng.choice(nouns))
            elif roll < 0.8:
                words.append(rng.choice(nouns) + rng.choice(nouns).lower())
            elif roll < 0.9:
                words.append(rng.choice(verbs))
            else:
                words.append(rng.choice(adjectives))
        entries.append(
            Entry(
                id=f"generated-{number:05d}",
                question=question,
                answer=" ".join(words) + ".",
                alternatives=alternatives,
                tags=(rng.choice(nouns).lower(),),
                lang="en" if english else "de",
            )
        )
    return entries


def sample_questions(entries: list[Entry], public: list[str], rng: random.Random) -> list[str]:
    """The public questions plus questions drawn from entries, some with a typo, and unrelated ones."""
    questions = list(public)
    for entry in rng.sample(entries, min(200, len(entries))):
        text = rng.choice(entry.phrasings)
        if rng.random() < 0.4 and len(text) > 8:
            cut = rng.randrange(2, len(text) - 2)
            text = text[:cut] + text[cut + 1 :]
        questions.append(text)
    questions.extend(["Wie wird das Wetter?", "hello there", "Kannst du mir helfen?"])
    return questions


def eval_folder() -> Path:
    override = os.environ.get("LOTSE_FAQ_EVAL")
    return Path(override) if override else ROOT.parent / "shared" / "faq-eval"


def measure(size: int) -> dict[str, float]:
    """Build a matcher of `size` entries in this process and time its questions."""
    folder = eval_folder()
    rng = random.Random(SEED)
    base = load_entries(folder / "kb")
    entries = (base + generated_entries(max(0, size - len(base)), rng))[:size]
    public = [json.loads(line)["q"] for line in (folder / "questions.jsonl").read_text().splitlines() if line]
    questions = sample_questions(entries, public, rng)
    started = time.perf_counter()
    matcher = Matcher(entries, remember=0)  # time the matching itself, not remembered answers
    build_s = time.perf_counter() - started
    for question in questions[:20]:
        matcher.match(question)
    fastest = [math.inf] * len(questions)
    every: list[float] = []
    for _ in range(ROUNDS):
        for number, question in enumerate(questions):
            started = time.perf_counter()
            matcher.match(question)
            elapsed = (time.perf_counter() - started) * 1000
            every.append(elapsed)
            fastest[number] = min(fastest[number], elapsed)
    timings = sorted(fastest)
    every.sort()
    return {
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 3),
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
        "build_s": round(build_s, 3),
        "p99_every_run_ms": round(every[min(len(every) - 1, int(len(every) * 0.99))], 3),
        "questions": len(timings),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    sizes: dict[str, dict[str, float]] = {}
    for size in SIZES:
        output = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--size", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        measured = json.loads(output.strip().splitlines()[-1])
        print(
            f"{size:>6} entries: build {measured['build_s']} s, p50 {measured['p50_ms']} ms, "
            f"p99 {measured['p99_ms']} ms (of every single run: {measured['p99_every_run_ms']} ms), "
            f"rss {measured['rss_mb']} MB over {measured['questions']} questions"
        )
        sizes[str(size)] = {key: measured[key] for key in ("p50_ms", "p99_ms", "rss_mb")}
    print(json.dumps({"bench": "faq_latency", "sizes": sizes}))


if __name__ == "__main__":
    main()
