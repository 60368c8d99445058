"""Price half-hourly readings against a tariff timeline (pure Python, fast).

Each half-hour is priced at the rate in force at its START instant (rates change on half-hour
boundaries, so this is the rate of the whole half-hour). The cost is kWh x rate, in currency
units, not rounded: cost for an import meter, revenue for an export meter. kWh floats become
Decimal through their shortest repr, so 0.123 kWh is exactly Decimal("0.123").

Speed: readings are walked once alongside the timeline's segments with a moving pointer, so
band tariffs cost one zoneinfo conversion per local day (not per reading) and interval tariffs
(Agile) no bisection per reading. Run `python -m custom_components.octopus_viz.pricing` for the
benchmark figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from itertools import pairwise
import math
import time

from ..api.local_time import HALF_HOUR_SECONDS
from ..api.models import Direction
from .model import Band, Tariff
from .rates import POS_INF, RateInterval, from_epoch
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
    costs, unpriced = _price(timeline, [int(start.timestamp()) for start in starts], kwh)
    return PricedSeries(costs, [(from_epoch(lo), from_epoch(hi)) for lo, hi in unpriced])


def price_epochs(
    timeline: Timeline, stamps: Sequence[int], kwh: Sequence[float]
) -> list[Decimal | None]:
    """`price_half_hours` for starts given as UTC epoch seconds; the costs only.

    This is what the cache's columns are priced with: no datetime per half-hour.
    """
    return _price(timeline, stamps, kwh)[0]


def _price(
    timeline: Timeline, stamps: Sequence[int], kwh: Sequence[float]
) -> tuple[list[Decimal | None], list[list[int]]]:
    if len(stamps) != len(kwh):
        raise ValueError(f"{len(stamps)} starts but {len(kwh)} kWh values")
    if not stamps:
        return [], []
    if any(later < earlier for earlier, later in pairwise(stamps)):
        raise ValueError("half-hour starts must be sorted ascending")
    if not all(math.isfinite(value) for value in kwh):
        raise ValueError("kWh values must be finite")

    segments = timeline.iter_segments_epoch(stamps[0], stamps[-1] + HALF_HOUR_SECONDS)
    seg_end, rate = -POS_INF, None
    costs: list[Decimal | None] = []
    unpriced: list[list[int]] = []
    append = costs.append
    # Metered kWh have three decimals and most tariffs a handful of rates, so over a segment
    # longer than a half-hour (a band, a fixed rate) the same cost recurs all the time:
    # computed once and shared (Decimals are immutable), it costs neither the multiplication
    # nor another object for the garbage collector to walk. Keyed by the rate's identity
    # (the timeline keeps every rate alive meanwhile). Half-hour segments (Agile) are
    # priced directly: there, a table would only cost.
    tables: dict[int, dict[float, Decimal]] = {}
    table: dict[float, Decimal] | None = None
    with localcontext(_EXACT):
        for stamp, energy in zip(stamps, kwh, strict=True):
            while stamp >= seg_end:
                seg_start, seg_end, rate = next(segments)
                long = rate is not None and seg_end - seg_start > HALF_HOUR_SECONDS
                table = tables.setdefault(id(rate), {}) if long else None
            if rate is None:
                append(None)
                if unpriced and unpriced[-1][1] == stamp:
                    unpriced[-1][1] = stamp + HALF_HOUR_SECONDS
                else:
                    unpriced.append([stamp, stamp + HALF_HOUR_SECONDS])
            elif table is None:
                append(Decimal(repr(energy)) * rate)
            else:
                if (cost := table.get(energy)) is None:
                    cost = table[energy] = Decimal(repr(energy)) * rate
                append(cost)
    return costs, unpriced


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
