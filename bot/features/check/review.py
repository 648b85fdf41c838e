"""Reviews: the date a check is looked at again (default quarterly, 09:00 Berlin time), the reminder the
scheduler sends then, and what changed between two rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from bot.features.check.catalogue import Catalogue
from bot.features.check.phrases import PHRASES
from bot.features.check.scoring import DimensionScore
from bot.features.check.tables import CheckPilotRow, CheckRow
from bot.messages import PersonId, Reply
from bot.outbox import enqueue
from bot.storage.database import Database
from knowledge.entry import Language

REVIEW_ZONE = ZoneInfo("Europe/Berlin")
REVIEW_AFTER = relativedelta(months=3)
REVIEW_HOUR = time(9, 0)


def review_date(finished_at: datetime, after: relativedelta = REVIEW_AFTER) -> datetime:
    """09:00 local time in Berlin, `after` the day the round was finished, whatever the daylight-saving
    offset is on either day."""
    local_day = finished_at.astimezone(REVIEW_ZONE).date() + after
    return datetime.combine(local_day, REVIEW_HOUR, REVIEW_ZONE)


@dataclass(frozen=True)
class Change:
    dimension: str
    before: int | None
    after: int | None


def changes(before: Sequence[DimensionScore], after: Sequence[DimensionScore]) -> list[Change]:
    """Dimensions whose score moved, in the order of the new round (dimensions of both versions only)."""
    earlier = {score.dimension: score.score for score in before}
    return [Change(score.dimension, earlier[score.dimension], score.score) for score in after
            if score.dimension in earlier and earlier[score.dimension] != score.score]


def change_lines(found: Sequence[Change], catalogue: Catalogue, language: Language) -> str:
    if not found:
        return PHRASES.say("no-changes", language)
    lines = []
    for change in found:
        dimension = catalogue.dimension(change.dimension)
        name = dimension.title[language] if dimension is not None else change.dimension
        lines.append(PHRASES.say("change-line", language, dimension=name, before=_percent(change.before),
                                 after=_percent(change.after)))
    return PHRASES.say("changes", language, list="\n".join(lines))


def _percent(score: int | None) -> str:
    return "–" if score is None else f"{score} %"


class ReviewReminders:
    """The scheduler's job: on a check's review date, remind each of its pilots once, through the outbox."""

    name = "check-reviews"

    def __init__(self, database: Database) -> None:
        self._database = database

    async def run_due(self, now: datetime) -> None:
        async with self._database.transaction() as session:
            due = list(await session.scalars(select(CheckRow).where(CheckRow.review_at <= now,
                                                                    CheckRow.reminded_at.is_(None))))
            for check in due:
                pilots = await session.execute(select(CheckPilotRow.person, CheckPilotRow.language)
                                               .where(CheckPilotRow.check_id == check.id))
                for person, language in pilots:
                    assert check.review_at is not None
                    key = f"check-review:{check.id}:{check.round}:{person}"
                    text = PHRASES.say("reminder", "en" if language == "en" else "de")
                    await enqueue(session, key, PersonId(person), Reply(text), now)
                check.reminded_at = now
