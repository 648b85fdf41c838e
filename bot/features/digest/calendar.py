"""Events as a calendar: recurrence expansion and iCalendar (.ics) export. Pure.

Recurring events repeat in their own time zone's wall-clock time (dateutil's rrule on local
times), so a weekly 18:00 round table stays at 18:00 when summer time begins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

from bot.features.digest.model import Event, Occurrence

MAX_OCCURRENCES = 400
"""Enough for a daily event over a year; protects against rules without end in big windows."""
PRODUCT_ID = "-//Lotse//Digest//DE"


def occurrences(event: Event, start: datetime, end: datetime) -> list[Occurrence]:
    """The times `event` takes place that overlap [start, end), in order."""
    duration = (event.ends_at - event.starts_at) if event.ends_at is not None else timedelta(0)
    if not event.recurrence:
        first = Occurrence(event, event.starts_at, event.ends_at)
        return [first] if _overlaps(first, start, end) else []
    zone = ZoneInfo(event.timezone)
    local_start = event.starts_at.astimezone(zone).replace(tzinfo=None)
    rule = rrulestr(event.recurrence, dtstart=local_start, ignoretz=True)
    window_start = (start - duration).astimezone(zone).replace(tzinfo=None)
    window_end = end.astimezone(zone).replace(tzinfo=None)
    found: list[Occurrence] = []
    for local in rule.xafter(window_start, count=MAX_OCCURRENCES, inc=True):
        if local >= window_end:
            break
        begins = local.replace(tzinfo=zone).astimezone(UTC)
        ends = (local + duration).replace(tzinfo=zone).astimezone(UTC) if event.ends_at is not None else None
        occurrence = Occurrence(event, begins, ends)
        if _overlaps(occurrence, start, end):
            found.append(occurrence)
    return found


def upcoming(events: Iterable[Event], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of every event that is not withdrawn in [start, end), by start time."""
    found = [o for event in events if not event.withdrawn for o in occurrences(event, start, end)]
    return sorted(found, key=lambda o: (o.starts_at, o.event.title))


def to_ics(events: Iterable[Event], stamp: datetime) -> bytes:
    """An iCalendar file of `events`; withdrawn ones are marked cancelled so calendars drop them."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    for event in events:
        calendar.add_component(_component(event, stamp))
    return bytes(calendar.to_ical())


def _component(event: Event, stamp: datetime) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    component.add("summary", event.title)
    component.add("sequence", event.version - 1)
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        component.add("dtstart", _local_date(event.starts_at, zone))
        if event.ends_at is not None:
            component.add("dtend", _local_date(event.ends_at, zone))
    else:
        component.add("dtstart", event.starts_at.astimezone(zone))
        if event.ends_at is not None:
            component.add("dtend", event.ends_at.astimezone(zone))
    if event.recurrence:
        component.add("rrule", vRecur.from_ical(event.recurrence))
    if event.place:
        component.add("location", event.place)
    if event.link:
        component.add("url", event.link)
    if event.organiser:
        component.add("description", event.organiser)
    if event.tags:
        component.add("categories", list(event.tags))
    if event.withdrawn:
        component.add("status", "CANCELLED")
    return component


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    finish = occurrence.ends_at or occurrence.starts_at
    return occurrence.starts_at < end and (finish > start or occurrence.starts_at >= start)
