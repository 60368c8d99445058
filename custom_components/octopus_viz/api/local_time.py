"""UK local time for half-hours: the one place that knows Europe/London and epoch seconds.

Pure Python, the lowest layer: the API's timestamps, the tariffs' bands and the history's
slots and days all use it. Instants are aware UTC datetimes or whole epoch seconds; a "local
day" is a calendar date in Europe/London. A half-hour belongs to the local day and wall-clock
slot it starts in: slot 0 is 00:00-00:30 local, slot 47 is 23:30-24:00.

Clock changes: on the October change day 01:00 and 01:30 local happen twice (BST, then GMT), so
that day has 50 half-hours and slots 2 and 3 each receive two of them. On the March change day
01:00-02:00 local does not exist: 46 half-hours, slots 2 and 3 are empty. London's changes
happen at 01:00 UTC, so local midnight is never skipped or repeated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

LOCAL_TZ_NAME: Final = "Europe/London"
LOCAL_TZ: Final = ZoneInfo(LOCAL_TZ_NAME)
HALF_HOUR_SECONDS: Final = 1800
HALF_HOUR: Final = timedelta(seconds=HALF_HOUR_SECONDS)
SLOTS_PER_DAY: Final = 48
DAY_SECONDS: Final = 86_400

# Day numbers below count days since 1970-01-01 (the Unix epoch day is 0); converting to a
# `date` is an ordinal shift. Integers make the per-reading work in series.py cheap.
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SLOT_LABELS: tuple[str, ...] = tuple(
    f"{slot // 2:02d}:{(slot % 2) * 30:02d}" for slot in range(SLOTS_PER_DAY)
)


def epoch_seconds(when: datetime) -> int:
    """Whole seconds since the Unix epoch of an aware datetime (ValueError if naive)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime not accepted: {when!r}")
    return int(when.timestamp())


def utc_from_epoch(seconds: int) -> datetime:
    """The aware UTC datetime of a Unix time."""
    return _EPOCH + timedelta(seconds=seconds)


def day_number(local_date: date) -> int:
    """Days since 1970-01-01 of a date (the integer used inside series)."""
    return local_date.toordinal() - EPOCH_ORDINAL


def date_of_day_number(number: int) -> date:
    """Inverse of `day_number`."""
    return date.fromordinal(number + EPOCH_ORDINAL)


@lru_cache(maxsize=8192)
def utc_day_offsets(utc_day: int) -> tuple[int, ...]:
    """UTC offset in seconds of each of the 48 UTC half-hours of a UTC day.

    Asking zoneinfo once per reading would dominate building a series, while the offset only
    changes twice a year. Two questions per UTC day answer almost every day; only the two
    change days are asked half-hour by half-hour (changes happen on a half-hour boundary).
    """
    base = utc_day * DAY_SECONDS

    def offset(seconds: int) -> int:
        delta = utc_from_epoch(seconds).astimezone(LOCAL_TZ).utcoffset()
        assert delta is not None  # zoneinfo always answers for aware datetimes
        return int(delta.total_seconds())

    first = offset(base)
    last = offset(base + DAY_SECONDS - HALF_HOUR_SECONDS)
    if first == last:
        return (first,) * SLOTS_PER_DAY
    return tuple(offset(base + i * HALF_HOUR_SECONDS) for i in range(SLOTS_PER_DAY))


def local_position(seconds: int) -> tuple[int, int]:
    """(local day number, local slot) of the half-hour starting at a Unix time.

    The half-hour must start on :00 or :30 UTC, which is also :00/:30 local for London.
    """
    utc_day, in_day = divmod(seconds, DAY_SECONDS)
    local = seconds + utc_day_offsets(utc_day)[in_day // HALF_HOUR_SECONDS]
    local_day, local_in_day = divmod(local, DAY_SECONDS)
    return local_day, local_in_day // HALF_HOUR_SECONDS


def local_slot(start_utc: datetime) -> tuple[date, int]:
    """Local date and slot (0..47) of the half-hour starting at an aware instant.

    Raises ValueError for a naive datetime or one not on a half-hour boundary.
    """
    seconds = epoch_seconds(start_utc)
    if seconds % HALF_HOUR_SECONDS or start_utc.microsecond:
        raise ValueError(f"not the start of a half-hour: {start_utc.isoformat()}")
    day, slot = local_position(seconds)
    return date_of_day_number(day), slot


def local_midnight(local_date: date) -> datetime:
    """The UTC instant of local midnight starting a date.

    London's changes happen at 01:00 UTC, so midnight is never skipped or repeated.
    """
    return datetime.combine(local_date, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def slot_label(slot: int) -> str:
    """Wall-clock start of a slot, "HH:MM" (slot 3 -> "01:30")."""
    return SLOT_LABELS[slot]


def local_today(now: datetime) -> date:
    """The local date at an aware instant (what `period_dates` calls "today")."""
    return now.astimezone(LOCAL_TZ).date()


@lru_cache(maxsize=8192)
def local_midnight_epoch(day: date) -> int:
    """Epoch seconds of 00:00 Europe/London on `day` (UK midnight always exists, never twice)."""
    return int(datetime.combine(day, time(0), LOCAL_TZ).timestamp())


def local_date_of(seconds: int) -> date:
    """The Europe/London calendar date containing the instant."""
    return datetime.fromtimestamp(seconds, LOCAL_TZ).date()
