"""The Beratungskompass with 20,000 offers: query latency (p50, p99) and memory.

Run from the repository root: `python bench/kompass.py`. 4,000 providers (a fifth nationwide, the
rest in a state or a district, fixed seed) offer 20,000 offers on one to three topics of the
starter list, some for one kind of organisation, a tenth of them funding calls with deadlines, a
twentieth stale. Each query is what `/kompass TOPIC PLACE` does: reading the words (topic, a
place name or postcode) and ranking the offers, 5,000 queries in all. Memory is what the index
and the region data hold (tracemalloc) and the process's peak RSS. The last line is one JSON
object: `{"bench": "kompass", "offers": …, "p50_ms": …, "p99_ms": …, "index_mb": …, …}`.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.features.kompass.model import AUDIENCES, OFFER_KINDS, Listing, Offer, Provider  # noqa: E402
from bot.features.kompass.questions import read_request  # noqa: E402
from bot.features.kompass.regions import Regions  # noqa: E402
from bot.features.kompass.search import Index  # noqa: E402
from bot.features.matching.challenges import STARTER, Challenges  # noqa: E402

OFFERS = 20_000
PROVIDERS = 4_000
QUERIES = 5_000
SEED = 20261202
TODAY = date(2026, 12, 2)
PLACES = ("Berlin", "Leipzig", "10115", "Hamburg", "München", "Köln", "in Ilmenau", "Bayern", "Sachsen", "60311",
          "Bad Homburg vor der Höhe", "01067", "Kiel", "Thüringen", "")
WORDS = {"funding": "Fördermittel", "ai": "KI", "it-security": "IT-Sicherheit", "accessibility": "Barrierefreiheit",
         "data-protection": "Datenschutz", "e-files": "E-Akte", "open-data": "Open Data"}


def directory(regions: Regions, rng: random.Random) -> list[Listing]:
    states = [f"{number:02d}" for number in range(1, 17)]
    districts = [line.split("\t")[0] for line in (ROOT / "bot/features/kompass/data/districts.tsv")
                 .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    providers = []
    for number in range(PROVIDERS):
        roll = rng.random()
        area = ("DE",) if roll < 0.2 else (rng.choice(states),) if roll < 0.5 else (rng.choice(districts),)
        providers.append(Provider(f"p{number}", f"Anbieter {number}", "advice-centre", TODAY, area=area,
                                  source="https://example.org"))
    topics = [challenge.id for challenge in STARTER]
    listings = []
    for number in range(OFFERS):
        kind = "funding" if number % 10 == 0 else rng.choice(list(OFFER_KINDS))
        deadlines = (TODAY + timedelta(days=rng.randint(-60, 300)),) if kind == "funding" else ()
        audiences = (rng.choice(list(AUDIENCES)),) if rng.random() < 0.4 else ()
        checked = TODAY - timedelta(days=500 if number % 20 == 0 else rng.randint(0, 300))
        offer = Offer(f"o{number}", f"p{number % PROVIDERS}", kind, f"Angebot {number}", checked,
                      topics=tuple(rng.sample(topics, rng.randint(1, 3))), audiences=audiences, deadlines=deadlines)
        listings.append(Listing(offer, providers[number % PROVIDERS]))
    return listings


def main() -> None:
    rng = random.Random(SEED)
    tracemalloc.start()
    regions = Regions.load()
    regions_bytes = tracemalloc.get_traced_memory()[0]
    listings = directory(regions, rng)
    before_index = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    index = Index(listings)
    build_seconds = time.perf_counter() - started
    index_bytes = tracemalloc.get_traced_memory()[0] - before_index
    tracemalloc.stop()
    topics = Challenges(STARTER)
    queries = [f"{rng.choice(list(WORDS.values()))} {rng.choice(PLACES)}".strip() for _ in range(QUERIES)]
    stale_before = TODAY - timedelta(days=365)
    timings = []
    found = 0
    for text in queries:
        started = time.perf_counter()
        asked = read_request(text, topics, regions)
        found += len(index.best(asked.request, TODAY, stale_before))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(listings)} offers, index built in {build_seconds:.2f} s; {QUERIES} queries: p50 {p50:.2f} ms, "
          f"p99 {p99:.2f} ms, {found / QUERIES:.1f} offers per answer; index {index_bytes / 2**20:.1f} MB, "
          f"regions {regions_bytes / 2**20:.1f} MB, peak rss {peak_mb:.0f} MB")
    print(json.dumps({
        "bench": "kompass",
        "offers": len(listings),
        "queries": QUERIES,
        "p50_ms": round(p50, 3),
        "p99_ms": round(p99, 3),
        "index_build_s": round(build_seconds, 3),
        "index_mb": round(index_bytes / 2**20, 1),
        "regions_mb": round(regions_bytes / 2**20, 1),
        "peak_rss_mb": round(peak_mb, 1),
    }))


if __name__ == "__main__":
    main()
