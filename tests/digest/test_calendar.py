"""Events as a calendar: recurrence expansion in local time, all-day events, .ics export."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.features.digest.calendar import occurrences, to_ics, upcoming
from bot.features.digest.composing import when
from bot.features.digest.model import Event, Occurrence

BERLIN = ZoneInfo("Europe/Berlin")


def round_table(**fields: object) -> Event:
    values: dict[str, object] = {
        "id": 1, "uid": "rt@example.org", "title": "Runder Tisch",
        "starts_at": datetime(2027, 3, 18, 17, 0, tzinfo=UTC), "ends_at": datetime(2027, 3, 18, 18, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def test_a_weekly_event_keeps_its_local_time_across_the_switch_to_summer_time() -> None:
    event = round_table(recurrence="FREQ=WEEKLY;COUNT=3")
    found = occurrences(event, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 5, 1, tzinfo=UTC))
    assert [o.starts_at.astimezone(BERLIN).strftime("%m-%d %H:%M") for o in found] == [
        "03-18 18:00", "03-25 18:00", "04-01 18:00"]


def test_only_occurrences_inside_the_window_are_expanded() -> None:
    event = round_table(recurrence="FREQ=DAILY")
    found = occurrences(event, datetime(2027, 6, 1, tzinfo=UTC), datetime(2027, 6, 4, tzinfo=UTC))
    assert len(found) == 3


def test_withdrawn_events_have_no_upcoming_occurrences() -> None:
    start, end = datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)
    assert upcoming([round_table(withdrawn=True)], start, end) == []


def test_an_all_day_event_is_shown_with_its_date_only() -> None:
    event = round_table(all_day=True, starts_at=datetime(2027, 3, 11, 23, 0, tzinfo=UTC),
                        ends_at=datetime(2027, 3, 12, 23, 0, tzinfo=UTC))
    occurrence = Occurrence(event, event.starts_at, event.ends_at)
    assert when(occurrence, "de") == "Fr., 12.03.2027"
    assert when(occurrence, "en") == "Fri 12 Mar 2027"


def test_a_timed_event_is_shown_in_its_own_time_zone() -> None:
    event = round_table()
    assert when(Occurrence(event, event.starts_at, event.ends_at), "de") == "Do., 18.03.2027, 18:00–19:00 Uhr"


def test_the_ics_export_keeps_recurrence_all_day_dates_and_cancellations() -> None:
    events = [round_table(recurrence="FREQ=WEEKLY;COUNT=3"),
              round_table(id=2, uid="day@example.org", all_day=True, withdrawn=True,
                          starts_at=datetime(2027, 3, 11, 23, 0, tzinfo=UTC),
                          ends_at=datetime(2027, 3, 12, 23, 0, tzinfo=UTC))]
    calendar = Calendar.from_ical(to_ics(events, datetime(2027, 1, 1, tzinfo=UTC)))
    weekly, day = calendar.walk("VEVENT")
    assert weekly.get("rrule").to_ical() == b"FREQ=WEEKLY;COUNT=3"
    assert weekly.decoded("dtstart") == datetime(2027, 3, 18, 18, 0, tzinfo=BERLIN)
    assert str(day.decoded("dtstart")) == "2027-03-12"
    assert str(day.get("status")) == "CANCELLED"
