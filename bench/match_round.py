"""A match round over 10,000 opted-in members: time and peak memory of the pairing.

Run from the repository root: `python bench/match_round.py`. Members get one to four challenges
from the starter list with a skewed, realistic popularity (IT security and data protection are
named by many, open data and agile methods by few), sometimes offers, one of six organisation
types and one of sixteen federal states (fixed seed). The measured part is what a round computes:
the pool with its inverted index and rarity weights, and the pairing. The last line is one JSON
object: `{"bench": "match_round", "members": …, "seconds": …, "peak_rss_mb": …, "pairs": …}`.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bot.features.matching.challenges import STARTER  # noqa: E402
from bot.features.matching.ranking import Member, Pool, Rules  # noqa: E402

MEMBERS = 10_000
SEED = 20261123
POPULARITY = {
    "it-security": 30, "data-protection": 26, "e-files": 20, "funding": 18, "ozg-services": 14,
    "process-digitalisation": 12, "qualifying-colleagues": 10, "ai": 10, "change-communication": 8,
    "cloud-open-source": 7, "accessibility": 6, "it-service-providers": 5, "agile-methods": 3, "open-data": 2,
}
ORG_TYPES = ("municipality", "state", "culture", "social", "company", "other")
REGIONS = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")


def members(count: int, rng: random.Random) -> list[Member]:
    ids = [challenge.id for challenge in STARTER]
    weights = [POPULARITY.get(challenge_id, 5) for challenge_id in ids]
    now = datetime(2026, 11, 23, tzinfo=UTC)
    result = []
    for number in range(count):
        challenges = frozenset(rng.choices(ids, weights, k=rng.randint(1, 4)))
        offers = frozenset(rng.sample(ids, rng.randint(0, 2))) if rng.random() < 0.4 else frozenset()
        result.append(
            Member(
                person=f"telegram:{100000 + number}" if number % 3 else f"matrix:@m{number}:example.org",
                challenges=challenges,
                offers=offers,
                org_type=rng.choice(ORG_TYPES),
                region=rng.choice(REGIONS),
                languages=rng.choices(("de", "both", "en"), (70, 25, 5))[0],
                active_at=now - timedelta(days=rng.randint(0, 90)),
            )
        )
    return result


def main() -> None:
    rng = random.Random(SEED)
    population = members(MEMBERS, rng)
    recent = frozenset(
        frozenset((rng.choice(population).person, rng.choice(population).person)) for _ in range(MEMBERS)
    )
    rules = Rules(now=datetime(2026, 11, 23, 9, tzinfo=UTC), inactive_after=timedelta(days=180), recent=recent)
    started = time.perf_counter()
    pool = Pool(population, rules)
    pairing = pool.pair("2026-11-23")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{len(pool.members)} members, {len(pairing.pairs)} pairs, {len(pairing.unmatched)} left over "
          f"in {seconds:.2f} s; rss now {psutil.Process().memory_info().rss / 2**20:.0f} MB")
    print(json.dumps({
        "bench": "match_round",
        "members": len(pool.members),
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "pairs": len(pairing.pairs),
        "unmatched": len(pairing.unmatched),
    }))


if __name__ == "__main__":
    main()
