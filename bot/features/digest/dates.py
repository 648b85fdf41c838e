"""Dates and times as moderators type them: "12.03.2027 14:00", "12.03.", "morgen 10 Uhr".

The forms people use most are read by hand, exactly and without surprises; anything else goes
to dateparser (German and English). A date without a time is an all-day event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

_TIME = r"(?:[,\s]+(?:um\s+|at\s+)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?:uhr|h)?)?"
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})?" + _TIME + "$", re.I)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?$")
_RELATIVE = re.compile(r"^(?P<word>heute|morgen|übermorgen|today|tomorrow)" + _TIME + "$", re.I)
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}(?!\.)|\d{1,2}\s*(uhr|h\b|am\b|pm\b)", re.I)
_OFFSETS = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "übermorgen": 2}


@dataclass(frozen=True)
class Moment:
    """A parsed start or end: in UTC, or local midnight in UTC for an all-day date."""

    at: datetime
    all_day: bool


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> Moment | None:
    """Read `text` as a date with an optional time in `zone`; None when it is not one."""
    text = " ".join(text.strip().split())
    if not text:
        return None
    today = now.astimezone(zone).date()
    for reader in (_numeric, _iso, _relative):
        found = reader(text, today)
        if found is not None:
            return _moment(*found, zone) if found[0] is not None else None
    return _fallback(text, now, zone)


Found = tuple[date | None, time | None]


def _numeric(text: str, today: date) -> Found | None:
    match = _NUMERIC.match(text)
    if match is None:
        return None
    year_text = match["year"]
    year = today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    day = _date(year, int(match["month"]), int(match["day"]))
    if day is not None and year_text is None and day < today:
        day = _date(year + 1, day.month, day.day)
    return _found(day, match["hour"], match["minute"])


def _iso(text: str, today: date) -> Found | None:
    match = _ISO.match(text)
    if match is None:
        return None
    return _found(_date(int(match["year"]), int(match["month"]), int(match["day"])), match["hour"], match["minute"])


def _relative(text: str, today: date) -> Found | None:
    match = _RELATIVE.match(text)
    if match is None:
        return None
    return _found(today + timedelta(days=_OFFSETS[match["word"].lower()]), match["hour"], match["minute"])


def _fallback(text: str, now: datetime, zone: ZoneInfo) -> Moment | None:
    base = now.astimezone(zone).replace(tzinfo=None)
    parsed = dateparser.parse(text, languages=["de", "en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    if parsed is None:
        return None
    if _HAS_TIME.search(text):
        return _moment(parsed.date(), parsed.time().replace(second=0, microsecond=0), zone)
    return _moment(parsed.date(), None, zone)


def _moment(day: date | None, at: time | None, zone: ZoneInfo) -> Moment | None:
    if day is None:
        return None
    local = datetime.combine(day, at or time(0), tzinfo=zone)
    return Moment(local.astimezone(UTC), all_day=at is None)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _found(day: date | None, hour: str | None, minute: str | None) -> Found:
    """A date with its time; no date at all when a time was written but is impossible (25:00)."""
    at = _time(hour, minute)
    return (None, None) if hour is not None and at is None else (day, at)


def _time(hour: str | None, minute: str | None) -> time | None:
    if hour is None:
        return None
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        return None
