"""Periods seen from the newest reading, on snapshots without data or with fresh data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from custom_components.octopus_viz.api.models import Direction, MeterConfig
from custom_components.octopus_viz.history.card_queries import anchored_today
from custom_components.octopus_viz.history.series import HalfHourSeries
from custom_components.octopus_viz.history.snapshot import MeterSnapshot, OctopusData

TODAY = date(2025, 11, 20)


def _data(until: datetime | None) -> OctopusData:
    meter = MeterConfig(mpan="1900000000001", serial="S", direction=Direction.IMPORT)
    snapshot = MeterSnapshot(meter, HalfHourSeries.empty(), None, data_until=until)
    return OctopusData(meters={meter.mpan: snapshot})


def test_without_readings_today_stays() -> None:
    assert anchored_today(OctopusData(meters={}), TODAY, "last_7_days") == TODAY
    assert anchored_today(_data(None), TODAY, None) == TODAY


def test_rolling_and_calendar_periods() -> None:
    # Readings up to 2025-10-31 24:00 local (GMT): the last day with data is 31 October.
    data = _data(datetime(2025, 11, 1, 0, 0, tzinfo=UTC))
    assert anchored_today(data, TODAY, "last_30_days") == date(2025, 11, 1)
    assert anchored_today(data, TODAY, None) == date(2025, 11, 1)  # the default: last 30 days
    assert anchored_today(data, TODAY, "this_month") == date(2025, 10, 31)
    assert anchored_today(data, TODAY, "last_month") == date(2025, 10, 31)
    # In BST the local day ends at 23:00 UTC: a reading ending then belongs to that day.
    summer = _data(datetime(2025, 7, 10, 23, 0, tzinfo=UTC))
    assert anchored_today(summer, TODAY, "this_year") == date(2025, 7, 10)


def test_data_reaching_today_changes_nothing() -> None:
    data = _data(datetime(2025, 11, 20, 10, 0, tzinfo=UTC))
    assert anchored_today(data, TODAY, "last_7_days") == TODAY
    assert anchored_today(data, TODAY, "this_month") == TODAY
