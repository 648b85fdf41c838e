"""Compose and queue personal digests for 10,000 members with 200 new resources and 50 events.

Run from the repository root: `python bench/digest_fanout.py`. Measures the digest job's one run
(compose and queue every due digest) on a fresh SQLite database; the last line is JSON with
`seconds` and `peak_rss_mb` (targets: <= 10 s and <= 300 MB).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select

from bot.composition import assemble
from bot.config import Settings
from bot.features.digest.tables import EventRow, ResourceRow, SubscriptionRow
from bot.outbox import OutboxRow

MEMBERS = 10_000
RESOURCES = 200
EVENTS = 50
TAGS = ("it-sicherheit", "barrierefreiheit", "foerdermittel", "e-akte", "open-data", "ki", "ozg", "cloud")
MONDAY_NINE = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def main() -> dict[str, object]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database={"url": f"sqlite+aiosqlite:///{folder}/bench.db"},
                            knowledge={"load_starter": False}, privacy={"key_file": f"{folder}/pseudonym.key"},
                            digest={"rooms": [{"chat": "telegram:-100"}, {"chat": "matrix:!r:example.org"}]})
        lotse = await assemble(settings, clock=lambda: MONDAY_NINE)
        try:
            await seed(lotse.database, rng)
            started = time.perf_counter()
            queued = await lotse.digest.job.compose_due(MONDAY_NINE)
            seconds = time.perf_counter() - started
            async with lotse.database.transaction() as session:
                in_outbox = await session.scalar(select(func.count()).select_from(OutboxRow))
        finally:
            await lotse.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"bench": "digest_fanout", "members": MEMBERS, "resources": RESOURCES, "events": EVENTS,
            "queued": queued, "outbox_rows": in_outbox, "seconds": round(seconds, 3),
            "peak_rss_mb": round(peak, 1)}


async def seed(database: object, rng: random.Random) -> None:
    from bot.storage.database import Database

    assert isinstance(database, Database)
    week_ago = MONDAY_NINE - timedelta(days=6)
    async with database.transaction() as session:
        await session.execute(insert(SubscriptionRow), [
            {"person_id": f"telegram:{100000 + n}" if n % 2 else f"matrix:@m{n}:example.org",
             "frequency": "weekly", "tags": rng.sample(TAGS, rng.choice((0, 1, 2))),
             "language": rng.choice(("de", "en")), "reminders": False, "subscribed_at": week_ago}
            for n in range(MEMBERS)
        ])
        await session.execute(insert(ResourceRow), [
            {"title": f"Leitfaden {n}: Praxisbeispiel aus der Kommunalverwaltung", "link": f"https://example.org/r/{n}",
             "summary": "Wie eine Verwaltung das Thema Schritt für Schritt angegangen ist, mit Vorlagen.",
             "tags": rng.sample(TAGS, 2), "language": "de", "source": "bench", "added_by": "bench",
             "added_at": week_ago + timedelta(minutes=n), "version": 1, "updated_at": week_ago}
            for n in range(RESOURCES)
        ])
        await session.execute(insert(EventRow), [
            {"uid": f"bench-{n}", "title": f"Runder Tisch {n}", "starts_at": MONDAY_NINE + timedelta(hours=12 * n),
             "ends_at": MONDAY_NINE + timedelta(hours=12 * n + 2), "timezone": "Europe/Berlin", "all_day": False,
             "place": "online", "link": f"https://example.org/e/{n}", "organiser": "Netzwerk",
             "tags": rng.sample(TAGS, 1), "language": "de", "recurrence": None, "source": "bench",
             "added_by": "bench", "added_at": week_ago, "version": 1, "updated_at": week_ago}
            for n in range(EVENTS)
        ])


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
