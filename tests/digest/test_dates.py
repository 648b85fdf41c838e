"""German date and time forms as moderators type them."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.features.digest.dates import parse_moment

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected", "all_day"), [
    ("12.03.2027 14:00", "2027-03-12 14:00", False),
    ("12.03.2027, 14 Uhr", "2027-03-12 14:00", False),
    ("12.03.2027", "2027-03-12 00:00", True),
    ("12.3. 9 Uhr", "2027-03-12 09:00", False),
    ("morgen 10 Uhr", "2026-11-24 10:00", False),
    ("übermorgen um 14:30", "2026-11-25 14:30", False),
    ("morgen", "2026-11-24 00:00", True),
    ("2027-03-12 14:00", "2027-03-12 14:00", False),
    ("tomorrow 10am", "2026-11-24 10:00", False),
])
def test_common_forms_are_read_in_berlin_time(text: str, expected: str, all_day: bool) -> None:
    moment = parse_moment(text, NOW, BERLIN)
    assert moment is not None
    assert moment.at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == expected
    assert moment.all_day is all_day


@pytest.mark.parametrize("text", ["Quatsch", "31.02.2027", "12.03.2027 25:00", ""])
def test_impossible_dates_are_refused(text: str) -> None:
    assert parse_moment(text, NOW, BERLIN) is None
