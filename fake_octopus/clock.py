"""Time helpers for the fake API: half-hour indices, UK local time, and the API's timestamp forms.

Internally every half hour is an integer index (seconds since the Unix epoch // 1800), which keeps
slicing, pagination and memoisation cheap. Only the edges of the API talk in strings.
"""

from __future__ import annotations

from bisect import bisect_right
import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = 1800
DAY_SECONDS = 86_400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HALF_HOUR_DELTA = timedelta(seconds=HALF_HOUR)

# Before this instant, consumption responses used the old "+0100" offset form in BST.
OLD_OFFSET_FORM_BEFORE = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())


def _last_sunday_0100_utc(year: int, month: int) -> int:
    """Epoch seconds of 01:00 UTC on the last Sunday of a month (the EU clock-change rule)."""
    last_day = calendar.monthrange(year, month)[1]
    day = date(year, month, last_day)
    day -= timedelta(days=(day.weekday() - calendar.SUNDAY) % 7)
    return int(datetime.combine(day, time(1, 0), tzinfo=UTC).timestamp())


# The UK has followed the EU rule since 1996. Formatting tens of thousands of timestamps through
# zoneinfo is too slow for the performance target, so BST is looked up in this sorted table
# (even position = start of BST, odd = end); a test checks it against zoneinfo.
_RULE_FIRST_YEAR = 1996
_RULE_LAST_YEAR = 2099
_TRANSITIONS: list[int] = [
    edge
    for year in range(_RULE_FIRST_YEAR, _RULE_LAST_YEAR + 1)
    for edge in (_last_sunday_0100_utc(year, 3), _last_sunday_0100_utc(year, 10))
]
_TABLE_START = _TRANSITIONS[0] - 180 * DAY_SECONDS
_TABLE_END = _TRANSITIONS[-1] + 60 * DAY_SECONDS


def utc_offset_seconds(epoch_seconds: int) -> int:
    """The Europe/London UTC offset (0 or 3600) in force at an instant."""
    if _TABLE_START <= epoch_seconds < _TABLE_END:
        return 3600 if bisect_right(_TRANSITIONS, epoch_seconds) % 2 == 1 else 0
    offset = datetime.fromtimestamp(epoch_seconds, UTC).astimezone(LONDON).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def to_index(moment: datetime) -> int:
    """Index of the half hour containing an aware datetime (floor)."""
    return (moment - _EPOCH) // _HALF_HOUR_DELTA


def ceil_index(moment: datetime) -> int:
    """Index of the first half hour starting at or after an aware datetime."""
    return -((_EPOCH - moment) // _HALF_HOUR_DELTA)


def from_index(index: int) -> datetime:
    """The UTC start of a half hour."""
    return _EPOCH + timedelta(seconds=index * HALF_HOUR)


@lru_cache(maxsize=8192)
def _date_text(epoch_day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=epoch_day)).isoformat()


_SLOT_TEXT = tuple(f"T{slot // 2:02d}:{30 * (slot % 2):02d}:00" for slot in range(48))


@lru_cache(maxsize=262_144)  # a few years of half hours; the formatting dominates big pages
def format_local(epoch_seconds: int) -> str:
    """A half-hour boundary as consumption results show it: UK local time with its offset.

    GMT is written `Z`, BST `+01:00`, or `+0100` before 2024 (older responses used that form).
    """
    offset = utc_offset_seconds(epoch_seconds)
    day, rest = divmod(epoch_seconds + offset, DAY_SECONDS)
    if offset == 0:
        suffix = "Z"
    elif epoch_seconds < OLD_OFFSET_FORM_BEFORE:
        suffix = "+0100"
    else:
        suffix = "+01:00"
    return _date_text(day) + _SLOT_TEXT[rest // HALF_HOUR] + suffix


def format_utc(moment: datetime | None) -> str | None:
    """A datetime as rate rows show it: always UTC with `Z`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_api_datetime(text: str) -> datetime:
    """Parse a period_from/period_to value: `Z`, `+01:00`, `+0100`, or naive (= UK local time).

    Raises ValueError for anything else (the server answers 400 then).
    """
    parsed = datetime.fromisoformat(text.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC)


def local_wall_to_utc(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK wall-clock time on a local day (hour 24 = next midnight), in UTC.

    The times used here (band edges, midnights, 23:00) never fall in the 01:00-02:00 gap or
    overlap of a clock change, so the plain zoneinfo conversion is unambiguous.
    """
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def local_midnight(day: date) -> datetime:
    """The UTC instant a UK local day starts."""
    return local_wall_to_utc(day, 0)


def local_date(moment: datetime) -> date:
    """The UK local calendar date of an instant."""
    return moment.astimezone(LONDON).date()
