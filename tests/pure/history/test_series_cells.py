"""Each reading's grid cell, computed a UTC day at a time, against zoneinfo per reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from custom_components.octopus_viz.history.series import HalfHourSeries, _cells_of

LONDON = ZoneInfo("Europe/London")
# UTC midnights two days before each kind of day: spring and autumn changes, plain days.
ANCHORS = [
    datetime(2025, 3, 28, tzinfo=UTC),
    datetime(2025, 10, 24, tzinfo=UTC),
    datetime(2024, 10, 25, tzinfo=UTC),
    datetime(2025, 7, 14, tzinfo=UTC),
    datetime(2024, 12, 30, tzinfo=UTC),
]
DAYS = 5


def reference(epochs: list[int]) -> tuple[int, list[int]]:
    """(first local day's ordinal, cells) from each reading's local date and slot."""
    local = [datetime.fromtimestamp(e, UTC).astimezone(LONDON) for e in epochs]
    first = local[0].date()
    cells = [
        (moment.date() - first).days * 48 + moment.hour * 2 + moment.minute // 30
        for moment in local
    ]
    return first.toordinal(), cells


@st.composite
def readings(draw: st.DrawFn) -> list[int]:
    """Sorted half-hours over a few days: whole days (the run path), gaps, or sparse."""
    anchor = int(draw(st.sampled_from(ANCHORS)).timestamp())
    slots = range(DAYS * 48)
    kind = draw(st.sampled_from(["all", "gaps", "sparse"]))
    if kind == "all":
        chosen = set(slots[draw(st.integers(0, 60)) :])
    elif kind == "gaps":
        chosen = set(slots) - draw(st.sets(st.sampled_from(slots), min_size=1, max_size=10))
    else:
        chosen = draw(st.sets(st.sampled_from(slots), min_size=1, max_size=40))
    return [anchor + slot * 1800 for slot in sorted(chosen)]


@settings(max_examples=200, deadline=None)
@given(readings())
def test_cells_match_local_dates_and_slots(epochs: list[int]) -> None:
    day0, cells = _cells_of(epochs)
    first_ordinal, expected = reference(epochs)
    assert list(cells) == expected
    assert (datetime(1970, 1, 1) + timedelta(days=day0)).date().toordinal() == first_ordinal


def test_a_series_knows_its_first_and_last_local_days() -> None:
    # 23:30 UTC on 31 May is 00:30 on 1 June in London; the last reading is 2 June, 00:00 BST.
    start = int(datetime(2025, 5, 31, 23, 30, tzinfo=UTC).timestamp())
    epochs = [start, start + 1800, start + 24 * 3600 - 1800]
    series = HalfHourSeries(epochs, [1.0, 1.0, 1.0], [None, None, None])
    assert (series.first_day, series.last_day) == (
        datetime(2025, 6, 1).date(),
        datetime(2025, 6, 2).date(),
    )
    day0, cells = _cells_of([])
    assert (day0, len(cells)) == (0, 0)
