"""Pure steps of an update: merge fetched readings, (re)price, find what changed, sum hours.

The coordinator runs these in the executor (they touch tens of thousands of rows) and keeps
only the Home Assistant glue for itself. No Home Assistant import here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from .const import HALF_HOUR_SECONDS
from .models import Reading

HOUR_SECONDS = 2 * HALF_HOUR_SECONDS

type PriceFn = Callable[[Sequence[datetime], Sequence[float]], list[Decimal | None]]
type StandingFn = Callable[[date], Decimal | None]


@dataclass(slots=True)
class Columns:
    """One meter's half-hours as parallel columns, sorted by start (UTC epoch seconds)."""

    starts: list[int]
    kwh: list[float]
    values: list[Decimal | None]

    @classmethod
    def empty(cls) -> Columns:
        """No data yet."""
        return cls([], [], [])

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self.starts)

    @property
    def last_start(self) -> int | None:
        """Start of the newest half-hour."""
        return self.starts[-1] if self.starts else None

    def datetimes(self, first: int = 0) -> list[datetime]:
        """Starts from index `first` as aware UTC datetimes."""
        return [datetime.fromtimestamp(s, UTC) for s in self.starts[first:]]


def merge(
    columns: Columns, rows: Sequence[tuple[int, float]], price: PriceFn | None = None
) -> tuple[Columns, int | None, list[tuple[int, float, Decimal | None]]]:
    """Add or replace readings, pricing the changed ones with `price` when given.

    Returns the new columns, the index of the first change (None when nothing changed) and
    the changed rows (start, kWh, price) to persist. Unchanged readings keep their price.
    """
    if not rows:
        return columns, None, []
    incoming = dict(rows)
    if not columns.starts or min(incoming) > columns.starts[-1]:
        return _append(columns, sorted(incoming.items()), price)
    cut = bisect_left(columns.starts, min(incoming))
    # Everything before `cut` is untouched; only the tail is rebuilt.
    tail = {
        start: (kwh, value)
        for start, kwh, value in zip(
            columns.starts[cut:], columns.kwh[cut:], columns.values[cut:], strict=True
        )
    }
    changed = sorted(
        (start, kwh)
        for start, kwh in incoming.items()
        if (old := tail.get(start)) is None or old[0] != kwh
    )
    if not changed:
        return columns, None, []
    values: list[Decimal | None] = [None] * len(changed)
    if price is not None:
        values = price(
            [datetime.fromtimestamp(s, UTC) for s, _ in changed], [k for _, k in changed]
        )
    for (start, kwh), value in zip(changed, values, strict=True):
        tail[start] = (kwh, value)
    ordered = sorted(tail.items())
    merged = Columns(
        columns.starts[:cut] + [s for s, _ in ordered],
        columns.kwh[:cut] + [v[0] for _, v in ordered],
        columns.values[:cut] + [v[1] for _, v in ordered],
    )
    first = bisect_left(merged.starts, changed[0][0])
    return merged, first, [(s, k, v) for (s, k), v in zip(changed, values, strict=True)]


def _append(
    columns: Columns, rows: list[tuple[int, float]], price: PriceFn | None
) -> tuple[Columns, int | None, list[tuple[int, float, Decimal | None]]]:
    """Fast path of `merge` for readings all newer than the cached ones (backfills, polls)."""
    starts = [s for s, _ in rows]
    kwh = [k for _, k in rows]
    values: list[Decimal | None] = (
        price([datetime.fromtimestamp(s, UTC) for s in starts], kwh)
        if price is not None
        else [None] * len(rows)
    )
    merged = Columns(columns.starts + starts, columns.kwh + kwh, columns.values + values)
    return merged, len(columns.starts), list(zip(starts, kwh, values, strict=True))


def merge_fetched(
    columns: Columns, readings: Sequence[Reading], price: PriceFn | None = None
) -> tuple[Columns, int | None, list[tuple[int, float, Decimal | None]]]:
    """`merge` for fetched readings."""
    return merge(columns, [(int(r.start.timestamp()), r.kwh) for r in readings], price)


def reprice(
    columns: Columns, price: PriceFn, begin: int = 0
) -> tuple[Columns, int | None, list[tuple[int, Decimal | None]]]:
    """Price the half-hours from index `begin` again.

    Returns the new columns, the index of the first price that differs from the stored one
    (what lets a tariff edit rewrite statistics only from the first affected hour) and every
    changed (start, price) to persist.
    """
    if begin >= len(columns):
        return columns, None, []
    values = price(columns.datetimes(begin), columns.kwh[begin:])
    starts = columns.starts
    changed = [
        (starts[begin + offset], new)
        for offset, (old, new) in enumerate(zip(columns.values[begin:], values, strict=True))
        if old != new
    ]
    if not changed:
        return columns, None, []
    first = bisect_left(starts, changed[0][0])
    return Columns(starts, columns.kwh, columns.values[:begin] + values), first, changed


def hour_floor(epoch: int) -> int:
    """The UTC hour containing an instant."""
    return epoch - epoch % HOUR_SECONDS


def hourly_energy(columns: Columns, first: int) -> list[tuple[datetime, float]]:
    """kWh per UTC hour for the hours from the one containing index `first` on."""
    return _hourly(columns.starts, columns.kwh, first)


def hourly_money(
    columns: Columns,
    first: int,
    standing: StandingFn | None = None,
    local_day: Callable[[int], date | None] | None = None,
) -> list[tuple[datetime, float]]:
    """Money per UTC hour (unpriced half-hours add nothing; they are reported elsewhere).

    With `standing` and `local_day`, each local day's standing charge is added to the hour in
    which that day starts (`local_day(hour_start)` returns the date starting in that hour).
    """
    priced = [float(v) if v is not None else 0.0 for v in columns.values]
    hours = _hourly(columns.starts, priced, first)
    if standing is None or local_day is None:
        return hours
    out: list[tuple[datetime, float]] = []
    for start, value in hours:
        day = local_day(int(start.timestamp()))
        charge = standing(day) if day is not None else None
        out.append((start, value + float(charge) if charge is not None else value))
    return out


def _hourly(
    starts: Sequence[int], values: Sequence[float], first: int
) -> list[tuple[datetime, float]]:
    if first >= len(starts):
        return []
    # Start at the first half-hour of the hour containing `first`, so that hour is whole.
    begin = bisect_left(starts, hour_floor(starts[first]))
    out: list[tuple[datetime, float]] = []
    current: int | None = None
    total = 0.0
    for start, value in zip(starts[begin:], values[begin:], strict=True):
        hour = start - start % HOUR_SECONDS
        if hour != current:
            if current is not None:
                out.append((datetime.fromtimestamp(current, UTC), total))
            current, total = hour, 0.0
        total += value
    if current is not None:
        out.append((datetime.fromtimestamp(current, UTC), total))
    return out


def first_index_at_or_after(columns: Columns, epoch: int) -> int:
    """Index of the first half-hour starting at or after `epoch`."""
    return bisect_left(columns.starts, epoch)
