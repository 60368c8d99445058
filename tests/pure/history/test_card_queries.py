"""Periods seen from the newest reading, on snapshots without data or with fresh data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from custom_components.octopus_viz.api.models import Direction, MeterConfig
from custom_components.octopus_viz.history.card_queries import anchored_today, combined, daily
from custom_components.octopus_viz.history.queries import QueryError
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


def test_daily_and_combined_without_the_meter_asked_for() -> None:
    """No meter of the flow: the translated error; one side missing: null on that side."""
    nothing = OctopusData(meters={})
    for query in (
        lambda: daily(nothing, TODAY, TODAY, "export", "kwh"),
        lambda: combined(nothing, TODAY, TODAY, "money"),
    ):
        with pytest.raises(QueryError) as caught:
            query()
        assert caught.value.translation_key == "no_meter_for_flow"

    import_only = _data(None)
    answer = combined(import_only, TODAY, TODAY, "kwh")
    assert [slot["export"] for slot in answer["slots"]] == [None] * 48
    assert [slot["import"] for slot in answer["slots"]] == [{"sum": None, "mean": None}] * 48
    assert answer["days"] == 1
    with pytest.raises(QueryError):
        daily(import_only, TODAY, TODAY, "export", "kwh")
    assert daily(import_only, TODAY, TODAY, "import", "money")["days"] == []
