"""Scheduled match rounds, and the housekeeping of introductions (timeouts, "did you meet?").

A round is computed in one transaction that first inserts the round's row (its key is the round's
local date). A second instance trying the same round blocks on that key and then finds it taken;
a crash in the middle rolls everything back, so the next leader computes the round from scratch.
Either way every opted-in member gets exactly one message per round: a proposal, or the note that
nobody was left for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.config import MatchingSettings, ScheduleSettings
from bot.features.matching.introductions import Introductions, Party
from bot.features.matching.phrases import PHRASES
from bot.features.matching.profiles import Profile, Profiles
from bot.features.matching.ranking import Pool, Rules
from bot.features.matching.tables import RoundRow
from bot.messages import PersonId, Reply
from bot.outbox import enqueue
from bot.privacy import Pseudonyms
from bot.storage.database import Database

log = logging.getLogger(__name__)

ROUND_GRACE = timedelta(days=1)
"""A round missed by more than this (Lotse was down) is skipped rather than sent days late."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FIRST_MONDAY = date(1970, 1, 5)


def latest_round(now: datetime, schedule: ScheduleSettings, every_weeks: int) -> datetime:
    """The most recent scheduled round moment at or before `now` (every `every_weeks` weeks)."""
    zone = ZoneInfo(schedule.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in schedule.time.split(":"))
    day = local.date() - timedelta(days=(local.weekday() - _WEEKDAYS.index(schedule.weekday)) % 7)
    while True:
        moment = datetime.combine(day, time(hour, minute), zone)
        if moment <= local and ((day - _FIRST_MONDAY).days // 7) % every_weeks == 0:
            return moment
        day -= timedelta(days=7)


class MatchRounds:
    """The scheduled job of the matching feature."""

    name = "matching"

    def __init__(self, database: Database, profiles: Profiles, introductions: Introductions,
                 pseudonyms: Pseudonyms, settings: MatchingSettings, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._profiles = profiles
        self._introductions = introductions
        self._pseudonyms = pseudonyms
        self._settings = settings
        self._clock = clock

    async def run_due(self, now: datetime) -> None:
        await self._introductions.expire_due()
        await self._introductions.follow_up_due()
        if not self._settings.enabled:
            return
        moment = latest_round(now, self._settings.round, self._settings.round_every_weeks)
        if now - moment <= ROUND_GRACE:
            await self.run_round(moment.date().isoformat())

    async def run_round(self, key: str) -> bool:
        """Compute and send round `key` unless it was computed before; True if this call did it."""
        now = self._clock()
        try:
            async with self._database.transaction() as session:
                if await session.get(RoundRow, key) is not None:
                    return False
                round_row = RoundRow(key=key, computed_at=now, members=0, pairs=0, unmatched=0)
                session.add(round_row)
                await session.flush()
                profiles = {profile.person: profile for profile in await self._profiles.all(session)}
                window = timedelta(days=self._settings.reintroduce_after_days)
                rules = Rules(now, timedelta(days=self._settings.inactive_after_days),
                              await self._introductions.recent_pairs(session, now - window))
                pool = Pool((profile.member() for profile in profiles.values()), rules)
                pairing = pool.pair(key)
                for person, partner in pairing.pairs:
                    first, second = profiles[person], profiles[partner.person]
                    await self._introductions.propose(
                        session, f"round:{key}:{self._pseudonyms.of(first.person, second.person)}", "round",
                        _party(first), _party(second), partner.shared or partner.helps, partner.helps,
                        round_key=key,
                    )
                for person in pairing.unmatched:
                    language = profiles[person].language
                    await enqueue(session, f"matching:round:{key}:alone:{self._pseudonyms.of(person)}",
                                  PersonId(person), Reply(PHRASES.say("odd-one-out", language)), now)
                round_row.members = len(pool.members)
                round_row.pairs = len(pairing.pairs)
                round_row.unmatched = len(pairing.unmatched)
        except IntegrityError:
            log.info("match round %s was computed by another instance", key)
            return False
        log.info("match round %s: %d pairs, %d alone", key, len(pairing.pairs), len(pairing.unmatched))
        return True


def _party(profile: Profile) -> Party:
    return Party(profile.person, profile.display_name, profile.org_type, profile.region, profile.language)
