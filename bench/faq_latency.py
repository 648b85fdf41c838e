"""FAQ matching latency and memory with the hybrid matcher at 100, 1,000 and 10,000 entries.

Run from the repository root: `python bench/faq_latency.py` (`--sizes 100 1000` to measure fewer).
The public evaluation knowledge base is padded with generated entries of domain-like vocabulary
(fixed seed); each size is measured in a fresh subprocess, so the resident memory belongs to that
size alone. Per size:

- p50/p99 per question, counting the query's encoding (nothing remembered between questions;
  each question is asked twice and its faster run counts, so other load on the machine weighs
  less; `p99_every_run_ms` counts every run);
- `rss_mb`: resident memory with the hybrid matcher built (the model included);
- `cold_build_s`: from nothing to a semantic matcher: lexical index plus encoding every text in
  batches. At 10,000 entries (some 40,000 texts) that takes long on two cores, so it is estimated
  from the lexical build and the encoding rate measured on 512 of its texts (`--encode-all`
  encodes them all, for real, and caches them);
- `warm_start_s`: a restart with every vector stored (the cache file standing in for the
  database): loading the encoder and the vectors, building both indexes.

Vectors of the public entries and of the first 1,000 generated ones are the encoder's own,
cached in `.cache/bench-vectors.sqlite`. At 10,000 entries the other generated entries get
vectors mixed from those real ones (unless `--encode-all`): scoring costs the same whatever the
values, and mixing keeps the spread of cosines of a real knowledge base.
The last line is one JSON object: `{"bench": "faq_latency", "sizes": {"100": {...}, ...}}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import psutil
from _faq import CACHE, public_set

from knowledge.bundled_encoder import load_bundled_encoder
from knowledge.encoder import EncoderThread, EncodingSettings, Vectors, text_key
from knowledge.entry import Entry
from knowledge.files import load_entries
from knowledge.matcher import Matcher
from knowledge.semantic import entry_texts
from knowledge.vectors import FileVectors, MemoryVectors, Vectorizer

SIZES = (100, 1_000, 10_000)
SEED = 20240611
ROUNDS = 2
REAL = 1_100
"""Entries (public plus generated) whose vectors are always the encoder's own."""
RATE_SAMPLE = 512
"""Texts encoded afresh to measure the encoding rate for the estimated cold build."""

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


def measure(size: int, encode_all: bool) -> dict[str, float]:
    """Build the hybrid matcher of `size` entries in this process and time its questions."""
    folder = public_set()
    rng = random.Random(SEED)
    base = load_entries(folder / "kb")
    entries = (base + generated_entries(max(0, size - len(base)), rng))[:size]
    public = [json.loads(line)["q"] for line in (folder / "questions.jsonl").read_text().splitlines() if line]
    questions = sample_questions(entries, public, rng)
    settings = EncodingSettings()
    started = time.perf_counter()
    encoder = load_bundled_encoder(settings)
    load_s = time.perf_counter() - started
    texts = [text for entry in entries for text in entry_texts(entry)]
    real = texts if encode_all else [text for entry in entries[:REAL] for text in entry_texts(entry)]
    thread = EncoderThread(encoder)
    store = FileVectors(CACHE)
    vectors = asyncio.run(Vectorizer(thread, store, settings.batch).vectors(real))
    if len(real) < len(texts):
        vectors.update(mixed(vectors, [text_key(*text) for text in texts[len(real):]], rng))
    cold = cold_build(entries, texts, thread, settings, size, encode_all or size <= REAL)
    started = time.perf_counter()
    asyncio.run(store.load(encoder.model_id, [text_key(*text) for text in real]))
    lexical = Matcher(entries, remember=0)
    matcher = lexical.with_semantic(encoder, vectors)
    warm_s = load_s + time.perf_counter() - started
    thread.close()
    for question in questions[:10]:
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
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
        "p99_every_run_ms": round(every[min(len(every) - 1, int(len(every) * 0.99))], 2),
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
        **cold,
        "warm_start_s": round(warm_s, 2),
        "texts": len(texts),
        "questions": len(timings),
    }


def cold_build(entries: list[Entry], texts: list[tuple[str, object]], thread: EncoderThread,
               settings: EncodingSettings, size: int, for_real: bool) -> dict[str, float]:
    """From nothing to a semantic matcher: measured, or estimated from the measured encoding rate."""
    started = time.perf_counter()
    Matcher(entries, remember=0)
    lexical_s = time.perf_counter() - started
    sample = texts if for_real else random.Random(size).sample(texts, min(RATE_SAMPLE, len(texts)))
    started = time.perf_counter()
    asyncio.run(Vectorizer(thread, MemoryVectors(), settings.batch).vectors(sample))  # type: ignore[arg-type]
    encoding_s = time.perf_counter() - started
    rate = len(sample) / encoding_s
    if for_real:
        return {"cold_build_s": round(lexical_s + encoding_s, 1), "lexical_build_s": round(lexical_s, 2),
                "texts_per_s": round(rate, 1)}
    return {"cold_build_s_estimated": round(lexical_s + len(texts) / rate, 1), "lexical_build_s": round(lexical_s, 2),
            "texts_per_s": round(rate, 1)}


def mixed(real: dict[str, Vectors], keys: list[str], rng: random.Random) -> dict[str, Vectors]:
    """Vectors for `keys` mixed from pairs of real ones and normalised."""
    pool = np.stack(list(real.values()))
    generator = np.random.default_rng(rng.randrange(2**32))
    first = pool[generator.integers(0, len(pool), len(keys))]
    second = pool[generator.integers(0, len(pool), len(keys))]
    rows = first + second
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return dict(zip(keys, rows.astype(np.float32), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--encode-all", action="store_true", help="encode every text for real (slow at 10,000)")
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure(args.size, args.encode_all)))
        return
    sizes: dict[str, dict[str, float]] = {}
    for size in args.sizes:
        command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size)]
        output = subprocess.run([*command, *(["--encode-all"] if args.encode_all else [])],
                                check=True, capture_output=True, text=True).stdout
        measured = json.loads(output.strip().splitlines()[-1])
        print(f"{size:>6} entries: " + ", ".join(f"{key} {value}" for key, value in measured.items()), flush=True)
        sizes[str(size)] = measured
    print(json.dumps({"bench": "faq_latency", "sizes": sizes}))


if __name__ == "__main__":
    main()
