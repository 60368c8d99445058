"""Pure update steps: merging fetched readings, re-pricing, hourly sums."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from custom_components.octopus_viz.api.models import HalfHourReadings
from custom_components.octopus_viz.history.columns import (
    Columns,
    Hourly,
    hourly_energy,
    hourly_money,
    merge,
    reprice,
)

H = 1800


def flat(rate: str):  # type: ignore[no-untyped-def]
    def price(starts: Sequence[int], kwh: Sequence[float]) -> list[Decimal | None]:
        return [Decimal(repr(k)) * Decimal(rate) for k in kwh]

    return price


def test_merge_adds_revises_and_prices_only_changes() -> None:
    columns = Columns([0, H, 2 * H], [1.0, 2.0, 3.0], [Decimal(1), Decimal(2), Decimal(3)])
    fetched = HalfHourReadings([H, 2 * H, 3 * H], [2.0, 3.5, 1.0])
    merged, first, changed = merge(columns, fetched, flat("0.5"))
    assert list(merged.starts) == [0, H, 2 * H, 3 * H]
    assert list(merged.kwh) == [1.0, 2.0, 3.5, 1.0]
    # Unchanged readings keep their stored price; changed ones are priced again.
    assert merged.values == [Decimal(1), Decimal(2), Decimal("1.75"), Decimal("0.5")]
    assert first == 2
    assert changed == Columns([2 * H, 3 * H], [3.5, 1.0], [Decimal("1.75"), Decimal("0.5")])
    same, none, nothing = merge(merged, HalfHourReadings([H], [2.0]))
    assert same is merged
    assert none is None
    assert len(nothing) == 0
    assert merge(merged, HalfHourReadings([], []))[1] is None


def test_merge_appends_newer_readings_priced() -> None:
    """The backfill/poll path: everything is newer than the cache."""
    columns = Columns([0], [1.0], [Decimal("0.5")])
    merged, first, changed = merge(columns, HalfHourReadings([H, 2 * H], [2.0, 4.0]), flat("0.5"))
    assert merged == Columns(
        [0, H, 2 * H], [1.0, 2.0, 4.0], [Decimal("0.5"), Decimal(1), Decimal(2)]
    )
    assert first == 1
    assert changed == Columns([H, 2 * H], [2.0, 4.0], [Decimal(1), Decimal(2)])
    unpriced, _, _ = merge(Columns.empty(), HalfHourReadings([0], [1.0]))
    assert unpriced.values == [None]


def test_reprice_reports_first_and_all_changes() -> None:
    columns = Columns([0, H, 2 * H], [1.0, 2.0, 4.0], [Decimal("0.5"), Decimal(1), Decimal(2)])
    unchanged, first, changed = reprice(columns, flat("0.5"))
    assert first is None
    assert len(changed) == 0
    assert unchanged is columns
    new, first, changed = reprice(columns, flat("0.25"), begin=1)
    assert first == 1
    assert changed == Columns([H, 2 * H], [2.0, 4.0], [Decimal("0.50"), Decimal("1.00")])
    assert new.values[0] == Decimal("0.5")
    assert reprice(columns, flat("1"), begin=3)[1] is None


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=1500),
    st.dictionaries(st.integers(0, 1499), st.integers(-3, 3) | st.none(), max_size=8),
    st.integers(0, 1600),
)
def test_reprice_stores_the_run_from_the_first_to_the_last_change(
    rates: list[int], edits: dict[int, int | None], begin: int
) -> None:
    """Re-pricing finds the first and last changed price (across the chunks compared in C)
    and hands back every half-hour between them with its new price."""
    size = len(rates)
    starts, kwh = [i * H for i in range(size)], [1.0] * size
    old = [Decimal(rate) for rate in rates]
    wanted = list(old)
    for index, value in edits.items():
        if index < size:
            wanted[index] = None if value is None else Decimal(value)

    def price(part: Sequence[int], _kwh: Sequence[float]) -> list[Decimal | None]:
        return [wanted[start // H] for start in part]

    new, first, changed = reprice(Columns(starts, kwh, old), price, begin)
    differ = [i for i in range(begin, size) if wanted[i] != old[i]]
    assert new.values == old[:begin] + wanted[begin:]
    if not differ:
        assert first is None
        assert len(changed) == 0
        return
    assert first == differ[0]
    span = range(differ[0], differ[-1] + 1)
    assert changed == Columns([i * H for i in span], [1.0] * len(span), [wanted[i] for i in span])


def test_hourly_sums_with_standing_charges() -> None:
    day_start = int(datetime(2025, 1, 2, tzinfo=UTC).timestamp())  # GMT: local midnight
    starts = [day_start - H, day_start, day_start + H, day_start + 2 * H]
    columns = Columns(starts, [1.0, 2.0, 3.0, 4.0], [Decimal(1), None, Decimal(3), Decimal(4)])
    energy = hourly_energy(columns, 2)
    # Starting inside an hour starts at that hour's first half-hour.
    assert energy == Hourly([day_start, day_start + 2 * H], [5.0, 4.0])
    assert hourly_energy(columns, 4) == Hourly([], [])

    def local_day(epoch: int) -> date | None:
        return date(2025, 1, 2) if epoch == day_start else None

    money = hourly_money(columns, 0, lambda _day: Decimal("0.5"), local_day)
    assert money.values == [1.0, 3.5, 4.0]
    assert hourly_money(columns, 0).values == [1.0, 3.0, 4.0]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(0, 200), st.floats(0, 5, allow_nan=False), max_size=60),
    st.dictionaries(st.integers(0, 200), st.floats(0, 5, allow_nan=False), max_size=60),
)
def test_merge_equals_dict_update(old: dict[int, float], new: dict[int, float]) -> None:
    """Merging is a dict update: the newest value of every half-hour, in order."""
    base = Columns([k * H for k in sorted(old)], [old[k] for k in sorted(old)], [None] * len(old))
    merged, _, _ = merge(
        base, HalfHourReadings([k * H for k in sorted(new)], [new[k] for k in sorted(new)])
    )
    expected = {**old, **new}
    assert list(merged.starts) == [k * H for k in sorted(expected)]
    assert list(merged.kwh) == [expected[k] for k in sorted(expected)]
    assert abs(sum(hourly_energy(merged, 0).values) - sum(expected.values())) < 1e-9


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 3),
    st.lists(st.integers(0, 9), min_size=1, max_size=40),
    st.sets(st.integers(0, 39), max_size=3),
    st.integers(0, 39),
)
def test_hourly_sums_equal_a_plain_sum_per_hour(
    offset: int, milli: list[int], gaps: set[int], first: int
) -> None:
    """With or without gaps, starting on the hour or half past: each hour's sum is the sum of
    its half-hours (kWh floats added in order, money integers exact)."""
    starts = [(offset + i) * H for i in range(len(milli)) if i not in gaps]
    kwh = [milli[i] / 8 for i in range(len(milli)) if i not in gaps]
    units = [milli[i] * 10**15 for i in range(len(milli)) if i not in gaps]  # big: exact ints
    if not starts:
        return
    first = min(first, len(starts) - 1)
    columns = Columns(starts, kwh, [Decimal(u) for u in units])
    expected_hours: dict[int, list[int]] = {}
    begin = next(i for i, s in enumerate(starts) if s >= starts[first] - starts[first] % (2 * H))
    for index in range(begin, len(starts)):
        expected_hours.setdefault(starts[index] - starts[index] % (2 * H), []).append(index)
    energy = hourly_energy(columns, first)
    assert energy.hours == list(expected_hours)
    assert energy.values == [sum(kwh[i] for i in group) for group in expected_hours.values()]
    money = hourly_money(columns, first)
    assert money.values == [sum(units[i] for i in group) / 1 for group in expected_hours.values()]
