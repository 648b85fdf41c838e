"""The scheduler: jobs run on exactly one instance, and a failing job does not stop the others."""

from datetime import datetime

import pytest

from bot.scheduler import Scheduler
from bot.storage.database import Database
from tests.support.core import FakeClock
from tests.support.database import postgres_database


class CountingJob:
    def __init__(self, name: str = "count", fail: bool = False) -> None:
        self.name = name
        self.runs: list[datetime] = []
        self.fail = fail

    async def run_due(self, now: datetime) -> None:
        self.runs.append(now)
        if self.fail:
            raise RuntimeError("job broke")


async def test_only_one_of_two_instances_on_postgresql_runs_the_jobs(clock: FakeClock) -> None:
    async with postgres_database() as url:
        first_db, second_db = Database(url), Database(url)
        await first_db.upgrade()
        first_job, second_job = CountingJob(), CountingJob()
        first = Scheduler(first_db, [first_job], clock)
        second = Scheduler(second_db, [second_job], clock)
        try:
            assert await first.tick()
            assert not await second.tick()
            await first.stop()
            assert await second.tick()
            assert (len(first_job.runs), len(second_job.runs)) == (1, 1)
        finally:
            await first.stop()
            await second.stop()
            await first_db.close()
            await second_db.close()


@pytest.mark.parametrize("failing_first", [True, False])
async def test_a_failing_job_does_not_keep_the_other_from_running(database_url: str, clock: FakeClock,
                                                                  failing_first: bool) -> None:
    database = Database(database_url)
    await database.upgrade()
    broken, working = CountingJob("broken", fail=True), CountingJob("working")
    jobs = [broken, working] if failing_first else [working, broken]
    scheduler = Scheduler(database, jobs, clock)
    try:
        assert await scheduler.tick()
        started = clock.now
        assert (broken.runs, working.runs) == ([started], [started])
        clock.advance(minutes=1)
        assert await scheduler.tick()
        assert (broken.runs, working.runs) == ([started, clock.now], [started, clock.now])
    finally:
        await scheduler.stop()
        await database.close()
