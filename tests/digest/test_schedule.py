"""The digest schedule: 09:00 Berlin stays 09:00 across summer time; periods are weeks or months."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import ScheduleSettings
from bot.features.digest.schedule import Schedule, current_period, next_period

BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY = Schedule.from_settings(ScheduleSettings())


def local(period_start: datetime) -> str:
    return period_start.astimezone(BERLIN).strftime("%a %Y-%m-%d %H:%M")


def test_the_week_begins_at_monday_nine_in_winter() -> None:
    period = current_period(WEEKLY, datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    assert period.key == "2026-W48"
    assert period.starts_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_nine_oclock_stays_nine_oclock_after_the_switch_to_summer_time() -> None:
    before = current_period(WEEKLY, datetime(2027, 3, 24, tzinfo=UTC))
    after = next_period(WEEKLY, datetime(2027, 3, 24, tzinfo=UTC))
    assert local(before.starts_at) == "Mon 2027-03-22 09:00"
    assert local(after.starts_at) == "Mon 2027-03-29 09:00"
    assert after.starts_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert before.ends_at == after.starts_at


def test_nine_oclock_stays_nine_oclock_after_the_switch_back_to_winter_time() -> None:
    after = next_period(WEEKLY, datetime(2026, 10, 28, tzinfo=UTC))
    assert local(after.starts_at) == "Mon 2026-11-02 09:00"
    assert after.starts_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def test_just_before_nine_the_previous_week_is_still_current() -> None:
    period = current_period(WEEKLY, datetime(2026, 11, 23, 7, 59, tzinfo=UTC))
    assert period.key == "2026-W47"


def test_a_monthly_digest_is_due_on_the_first_monday_of_the_month() -> None:
    monthly = Schedule.from_settings(ScheduleSettings(), "monthly")
    period = current_period(monthly, datetime(2026, 11, 25, tzinfo=UTC))
    assert period.key == "2026-11"
    assert local(period.starts_at) == "Mon 2026-11-02 09:00"
    assert local(period.ends_at) == "Mon 2026-12-07 09:00"


def test_before_the_first_monday_the_previous_month_is_current() -> None:
    monthly = Schedule.from_settings(ScheduleSettings(), "monthly")
    assert current_period(monthly, datetime(2027, 1, 2, tzinfo=UTC)).key == "2026-12"
