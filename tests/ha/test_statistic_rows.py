"""Statistic rows handed to the recorder: made as they are read, the same every time."""

from __future__ import annotations

from array import array
from datetime import UTC, datetime
import gc

import pytest

from custom_components.octopus_viz.history.columns import Hourly
from custom_components.octopus_viz.statistics import (
    StatisticRows,
    running_sums,
    statistic_rows,
)

H0 = int(datetime(2025, 3, 30, tzinfo=UTC).timestamp())
HOURLY = Hourly([H0 + i * 3600 for i in range(5)], [0.5, 1.25, 0.0, 2.0, 0.25])


def test_rows_read_twice_are_the_same_rows() -> None:
    """The recorder validates the rows when they are queued and reads them again when it
    imports them (a retry reads them a third time)."""
    sums = running_sums(HOURLY.values, 10.0)
    rows = statistic_rows(HOURLY, sums, 1, 4)
    expected = [
        {"start": datetime(2025, 3, 30, i, tzinfo=UTC), "state": state, "sum": total}
        for i, state, total in [(1, 1.25, 11.75), (2, 0.0, 11.75), (3, 2.0, 13.75)]
    ]
    assert list(rows) == expected
    assert list(rows) == expected  # an iterable read again, not a spent generator
    assert len(rows) == 3
    assert rows[0] == expected[0]
    assert rows[-1] == expected[-1]
    assert list(rows[1:]) == expected[1:]
    assert all(row["start"].tzinfo is UTC for row in rows)
    assert len(statistic_rows(HOURLY, sums, 3, 99)) == 2  # the end is clipped


def test_queued_rows_hold_no_object_per_hour() -> None:
    """A chunk waiting in the recorder's queue is three arrays, not a dict per hour: nothing
    the garbage collector has to walk."""
    hours = 20_000
    rows = StatisticRows(
        [H0 + i * 3600 for i in range(hours)], [1.0] * hours, [float(i) for i in range(hours)]
    )
    held = [obj for obj in gc.get_referents(rows) if obj is not StatisticRows]
    # Typed arrays hold raw numbers: no Python object per hour behind them.
    assert [type(column) for column in held] == [array, array, array]
    assert sum(len(column) for column in held) == 3 * hours


def test_columns_must_line_up() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        StatisticRows([H0], [1.0, 2.0], [1.0])
