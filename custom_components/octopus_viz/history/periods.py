"""Local days and named periods (yesterday, this week, last 30 days...) in UK local time.

Pure Python. The half-hour and slot arithmetic lives in `api.local_time`; this module turns
local dates into UTC bounds and names the periods sensors, services and the card ask for.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from ..api.local_time import HALF_HOUR, local_midnight


def day_bounds(local_date: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a local day: 23, 24 or 25 hours."""
    return local_midnight(local_date), local_midnight(local_date + timedelta(days=1))


def period_bounds(start_date: date, end_date: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering local days start_date..end_date inclusive."""
    return local_midnight(start_date), local_midnight(end_date + timedelta(days=1))


def half_hours_in_day(local_date: date) -> int:
    """46 on the March change day, 50 on the October one, 48 otherwise."""
    start, end = day_bounds(local_date)
    return int((end - start) / HALF_HOUR)


def iter_dates(start_date: date, end_date: date) -> list[date]:
    """Every date from start_date to end_date inclusive (empty if end is before start)."""
    return [start_date + timedelta(days=i) for i in range((end_date - start_date).days + 1)]


class PeriodKind(StrEnum):
    """Named periods of local days.

    "this_*" periods run up to and including today (period to date). "last_N_days" are the N
    complete days ending yesterday: today is never complete, and a fixed rule keeps the card's
    window stable while data arrives. Readings arrive about a day late, so yesterday may still
    be partial; results say how far data reaches (`Totals.last_end`, `Summary.data_until`).
    Weeks start on Monday.
    """

    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    LAST_90_DAYS = "last_90_days"


_ROLLING_DAYS = {
    PeriodKind.LAST_7_DAYS: 7,
    PeriodKind.LAST_30_DAYS: 30,
    PeriodKind.LAST_90_DAYS: 90,
}


def period_dates(kind: PeriodKind, today: date) -> tuple[date, date]:
    """(start_date, end_date), both inclusive local dates, of a period seen from `today`."""
    one_day = timedelta(days=1)
    if kind is PeriodKind.TODAY:
        return today, today
    if kind is PeriodKind.YESTERDAY:
        return today - one_day, today - one_day
    if kind in _ROLLING_DAYS:
        return today - timedelta(days=_ROLLING_DAYS[kind]), today - one_day
    if kind in (PeriodKind.THIS_WEEK, PeriodKind.LAST_WEEK):
        monday = today - timedelta(days=today.weekday())
        if kind is PeriodKind.THIS_WEEK:
            return monday, today
        return monday - timedelta(days=7), monday - one_day
    if kind is PeriodKind.THIS_MONTH:
        return today.replace(day=1), today
    if kind is PeriodKind.LAST_MONTH:
        last_day = today.replace(day=1) - one_day
        return last_day.replace(day=1), last_day
    if kind is PeriodKind.THIS_YEAR:
        return date(today.year, 1, 1), today
    raise ValueError(f"unknown period kind: {kind!r}")
