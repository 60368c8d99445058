"""Price half-hourly readings against a tariff timeline (pure Python, fast).

Each half-hour is priced at the rate in force at its START instant (rates change on half-hour
boundaries, so this is the rate of the whole half-hour). The cost is kWh x rate, in currency
units, not rounded: cost for an import meter, revenue for an export meter. kWh floats become
Decimal through their shortest repr, so 0.123 kWh is exactly Decimal("0.123").

Money is exact integers (see money.py): no Decimal per half-hour unless asked for.
Speed: readings are walked once alongside the timeline's segments with a moving pointer, so
band tariffs cost one zoneinfo conversion per local day (not per reading) and interval tariffs
(Agile) no bisection per reading. Run `python -m custom_components.octopus_viz.pricing` for the
benchmark figure.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from itertools import islice
import math
from operator import gt
import time

from ..api.local_time import HALF_HOUR_SECONDS
from ..api.models import Direction
from .model import Band, Tariff
from .money import KWH_SCALE, MoneyColumn, int_column, scale_of, to_units
from .rates import RateInterval, from_epoch
from .timeline import Timeline

# Costs and sums are computed exactly (the default 28-digit context would round a sum of
# values of very different magnitudes); libmpdec only spends the digits a result needs.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@dataclass(frozen=True, slots=True)
class PricedSeries:
    """Costs parallel to the input (None = unpriced) and the unpriced ranges, merged."""

    costs: list[Decimal | None]
    unpriced: list[tuple[datetime, datetime]]

    @property
    def total(self) -> Decimal:
        """Sum of the priced half-hours (unpriced ones are left out, see `unpriced`)."""
        with localcontext(_EXACT):
            return sum((cost for cost in self.costs if cost is not None), Decimal(0))


def price_half_hours(
    timeline: Timeline, starts: Sequence[datetime], kwh: Sequence[float]
) -> PricedSeries:
    """Price half-hours starting at `starts` (aware, sorted ascending) with energies `kwh`.

    Unpriced half-hours give None and are reported as (start, end) ranges, contiguous ones
    merged into one run. Raises ValueError for naive or unsorted starts, mismatched lengths
    or non-finite kWh.
    """
    if any(start.tzinfo is None for start in starts):
        raise ValueError("half-hour starts must be aware datetimes")
    money, unpriced = price_money(timeline, [int(start.timestamp()) for start in starts], kwh)
    return PricedSeries(money.decimals(), [(from_epoch(lo), from_epoch(hi)) for lo, hi in unpriced])


def price_epochs(
    timeline: Timeline, stamps: Sequence[int], kwh: Sequence[float]
) -> list[Decimal | None]:
    """`price_half_hours` for starts given as UTC epoch seconds; the costs only, as Decimals.

    The cache's columns are priced with `price_money` (integers, no object per half-hour);
    this is the same computation with a Decimal per half-hour, for callers that want them.
    """
    return price_money(timeline, stamps, kwh)[0].decimals()


def price_money(
    timeline: Timeline, stamps: Sequence[int], kwh: Sequence[float]
) -> tuple[MoneyColumn, list[tuple[int, int]]]:
    """Money of half-hours starting at `stamps` (UTC epoch seconds, sorted) as an exact
    integer column, and the unpriced [start, end) runs (epoch seconds), contiguous ones
    merged.

    Each cost is kWh x rate exactly (kWh read through its shortest repr, so 0.123 kWh is
    0.123): kWh in units of 10**-kwh_scale times the rate in units of 10**-rate_scale is an
    integer of 10**-(kwh_scale + rate_scale). Raises ValueError for unsorted starts,
    mismatched lengths or non-finite kWh.
    """
    if len(stamps) != len(kwh):
        raise ValueError(f"{len(stamps)} starts but {len(kwh)} kWh values")
    if not stamps:
        return MoneyColumn.empty(KWH_SCALE + timeline.rate_scale), []
    # Checks mapped in C: they run over every half-hour of a re-pricing.
    if any(map(gt, stamps, islice(stamps, 1, None), strict=False)):
        raise ValueError("half-hour starts must be sorted ascending")
    kwh_scale, energy = kwh_units(kwh)
    count = len(stamps)
    units: list[int] = [0] * count
    priced = bytearray(count)
    unpriced: list[tuple[int, int]] = []
    index = 0
    # One walk along the segments (a band, a fixed rate, an Agile half-hour): the readings
    # of a segment are a slice, priced by one comprehension.
    segments = timeline.iter_unit_segments_epoch(stamps[0], stamps[-1] + HALF_HOUR_SECONDS)
    for _seg_start, seg_end, rate in segments:
        if stamps[index] >= seg_end:
            continue
        following = index + 1
        if following < count and stamps[following] < seg_end:
            following = bisect_left(stamps, seg_end, following)
        if rate is None:
            _add_unpriced(unpriced, stamps, index, following)
        elif following == index + 1:
            units[index] = energy[index] * rate
            priced[index] = 1
        else:
            units[index:following] = [value * rate for value in energy[index:following]]
            priced[index:following] = b"\x01" * (following - index)
        index = following
        if index >= count:
            break
    money = MoneyColumn(int_column(units), array("B", priced), kwh_scale + timeline.rate_scale)
    return money, unpriced


def _add_unpriced(runs: list[tuple[int, int]], stamps: Sequence[int], lo: int, hi: int) -> None:
    for stamp in stamps[lo:hi]:
        if runs and runs[-1][1] == stamp:
            runs[-1] = (runs[-1][0], stamp + HALF_HOUR_SECONDS)
        else:
            runs.append((stamp, stamp + HALF_HOUR_SECONDS))


def kwh_units(kwh: Sequence[float]) -> tuple[int, list[int]]:
    """kWh as integers of 10**-scale: (scale, units), exactly the values' shortest reprs.

    Metered kWh have three decimals: each distinct value k is checked once (k x 1000
    rounded, divided back, must give k; with fewer than 16 digits, that is its repr). Any
    other value raises the scale to its repr's decimals. ValueError for a non-finite one.
    """
    distinct = set(kwh)
    if not all(map(math.isfinite, distinct)):
        raise ValueError("kWh values must be finite")
    table: dict[float, int] = {}
    for value in distinct:
        units = round(value * 1000)
        if units / 1000 != value or abs(units) >= 10**15:
            break
        table[value] = units
    else:
        return KWH_SCALE, list(map(table.__getitem__, kwh))
    exact = {value: Decimal(repr(value)) for value in distinct}
    scale = scale_of(exact.values(), KWH_SCALE)
    table = {value: to_units(decimal, scale) for value, decimal in exact.items()}
    return scale, list(map(table.__getitem__, kwh))


def daily_standing_charges(
    timeline: Timeline, first_day: date, last_day: date
) -> dict[date, Decimal | None]:
    """Standing charge per local day, first_day..last_day inclusive (None = unknown)."""
    days = (last_day - first_day).days + 1
    return {
        day: timeline.standing_charge_for_day(day)
        for day in (first_day + timedelta(days=offset) for offset in range(days))
    }


def bench(half_hours: int = 105_000) -> dict[str, float]:
    """Seconds taken to price `half_hours` readings with a Flux band tariff and Agile rows."""
    begin = datetime(2023, 1, 1, tzinfo=UTC)
    starts = [begin + timedelta(seconds=HALF_HOUR_SECONDS * i) for i in range(half_hours)]
    kwh = [round(0.05 + (i % 17) * 0.031, 3) for i in range(half_hours)]
    band_edges = [(0, 120, "0.3072"), (120, 300, "0.18432"), (300, 960, "0.3072")]
    band_edges += [(960, 1140, "0.43008"), (1140, 1440, "0.3072")]
    flux = Tariff(
        name="flux",
        direction=Direction.IMPORT,
        bands=tuple(Band(start_minute=a, end_minute=b, rate=Decimal(r)) for a, b, r in band_edges),
    )
    agile = Tariff(
        name="agile",
        direction=Direction.IMPORT,
        intervals=tuple(
            RateInterval(
                start=start,
                end=start + timedelta(seconds=HALF_HOUR_SECONDS),
                value=Decimal(i % 40 - 5).scaleb(-2),
            )
            for i, start in enumerate(starts)
        ),
    )
    figures: dict[str, float] = {}
    for label, tariff in (("bands", flux), ("agile", agile)):
        timeline = Timeline([tariff])
        began = time.perf_counter()
        price_half_hours(timeline, starts, kwh)
        figures[label] = time.perf_counter() - began
    return figures


if __name__ == "__main__":
    for name, seconds in bench().items():
        print(f"{name}: 105000 half-hours priced in {seconds:.3f} s")
