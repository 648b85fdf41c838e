"""When digests are due: the current and next period of a weekly or monthly schedule.

Pure and clock-free. A schedule is a wall-clock moment in a time zone (Monday 09:00
Europe/Berlin), so each start is computed from the local date and converted to UTC on its own:
09:00 stays 09:00 after the change to or from summer time, although the UTC hour moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.config import ScheduleSettings

Frequency = Literal["weekly", "monthly"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Schedule:
    """Weekly: every `weekday` at `at`. Monthly: the first `weekday` of each month at `at`."""

    weekday: int
    at: time
    zone: ZoneInfo
    frequency: Frequency = "weekly"

    @classmethod
    def from_settings(cls, settings: ScheduleSettings, frequency: Frequency = "weekly") -> Schedule:
        hour, minute = (int(part) for part in settings.time.split(":"))
        return cls(WEEKDAYS.index(settings.weekday), time(hour, minute), ZoneInfo(settings.timezone), frequency)

    def moment(self, day: date) -> datetime:
        """The schedule's wall-clock time on `day`, in UTC."""
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """One stretch of a schedule, from one due moment to the next. `key` names it for storage:
    the ISO week of its start (`2026-W48`) or its month (`2026-11`)."""

    key: str
    starts_at: datetime
    ends_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def current_period(schedule: Schedule, now: datetime) -> Period:
    """The period `now` lies in: its digest is due from its start until the next one begins,
    which is what lets a bot that was down at 09:00 catch up later the same week."""
    if schedule.frequency == "monthly":
        return _monthly(schedule, now)
    return _weekly(schedule, now)


def next_period(schedule: Schedule, now: datetime) -> Period:
    """The period that begins next after `now`."""
    return current_period(schedule, current_period(schedule, now).ends_at)


def _weekly(schedule: Schedule, now: datetime) -> Period:
    today = now.astimezone(schedule.zone).date()
    day = today - timedelta(days=(today.weekday() - schedule.weekday) % 7)
    if schedule.moment(day) > now:
        day -= timedelta(days=7)
    year, week, _ = day.isocalendar()
    return Period(f"{year}-W{week:02d}", schedule.moment(day), schedule.moment(day + timedelta(days=7)))


def _monthly(schedule: Schedule, now: datetime) -> Period:
    local = now.astimezone(schedule.zone).date()
    year, month = local.year, local.month
    start = schedule.moment(_first_weekday(year, month, schedule.weekday))
    if start > now:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        start = schedule.moment(_first_weekday(year, month, schedule.weekday))
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    ends = schedule.moment(_first_weekday(*following, schedule.weekday))
    return Period(f"{year}-{month:02d}", start, ends)


def _first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)
