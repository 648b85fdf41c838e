"""The Beratungskompass: who can help, near me, on this topic, and funding calls before their deadline.

Read it top to bottom: `model` (providers, offers, requests), `regions` (region keys, postcodes,
place names), `files` and `hsds` (Markdown files and CSV), `catalogue` (stored, versioned, audited),
`search` (ranking), `questions` (reading a request), `directory` (the service other features call),
`referrals` (double opt-in), `radar` (funding calls in digests and deadline reminders), `notices`
(stale entries for moderators), `curate` and `feature` (the commands), `phrases`, `tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.dialogues import Dialogues
from bot.features.kompass.catalogue import Catalogue, ImportReport
from bot.features.kompass.directory import Directory
from bot.features.kompass.feature import Kompass
from bot.features.kompass.files import Vocabulary
from bot.features.kompass.model import Listing, TopicList
from bot.features.kompass.notices import StaleReport
from bot.features.kompass.radar import FundingRadar
from bot.features.kompass.referrals import Referrals, ReferralTimeouts
from bot.features.kompass.regions import Regions
from bot.members import Members
from bot.platforms import Platforms
from bot.roles import Roles
from bot.scheduler import Job
from bot.storage.database import Database

__all__ = ["Directory", "ImportReport", "Kompass", "KompassParts", "build", "member_ids", "starter_folder"]


@dataclass(frozen=True)
class KompassParts:
    """What the composition root wires: the feature, the service for other features, and the jobs."""

    feature: Kompass
    directory: Directory
    radar: FundingRadar
    jobs: tuple[Job, ...]
    is_member: Callable[[str], bool]

    @property
    def vocabulary(self) -> Vocabulary:
        """What files and CSVs may name: the topic ids, region keys and platforms Lotse knows."""
        directory = self.directory
        return Vocabulary(frozenset(topic.id for topic in directory.topics.all), directory.regions.is_key,
                          self.is_member)


def member_ids(platforms: Platforms) -> Callable[[str], bool]:
    """Whether a value is one member's id on a platform the installation knows (`telegram:123`):
    the adapters declare the platforms, the Kompass knows none by name."""
    return lambda value: platforms.knows(value) and len(value.split()) == 1


def starter_folder() -> Path:
    """The starter directory shipped inside the package."""
    return Path(__file__).parent / "starter"


def build(database: Database, settings: Settings, topics: TopicList, roles: Roles, members: Members,
          dialogues: Dialogues, platforms: Platforms, clock: Callable[[], datetime], regions: Regions | None = None
          ) -> KompassParts:
    kompass = settings.kompass
    schedule = settings.digest.schedule
    zone = ZoneInfo(schedule.timezone)
    hour, minute = (int(part) for part in schedule.time.split(":"))
    directory = Directory(Catalogue(database, clock), regions or Regions.load(), topics,
                          timedelta(days=kompass.stale_after_days), zone, clock)
    referrals = Referrals(database, timedelta(days=kompass.referral_answer_days), platforms, clock)
    radar = FundingRadar(database, directory, kompass.reminder_days_before_deadline, time(hour, minute), zone, clock)
    feature = Kompass(database, directory, referrals, radar, roles, members, dialogues, member_ids(platforms))

    async def listings() -> Callable[[str], Listing | None]:
        return (await directory.index()).get

    jobs: tuple[Job, ...] = (
        radar,
        ReferralTimeouts(referrals, listings),
        StaleReport(database, directory, roles, settings.moderation.rooms, settings.default_language),
    )
    return KompassParts(feature, directory, radar, jobs, member_ids(platforms))
