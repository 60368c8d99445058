"""Timing of the aggregation queries on synthetic data (import and export meters).

Run: `.venv/bin/python -m benchmarks.aggregation_bench [years]`.
Pure Python; the numbers are the best of a few repeats, in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import random
import time

from benchmarks.report import print_timings
from custom_components.octopus_viz.history.aggregation import (
    kwh_heatmap,
    profile,
    summary,
    totals,
    value_heatmap,
)
from custom_components.octopus_viz.history.jsonable import to_json
from custom_components.octopus_viz.history.periods import PeriodKind, period_dates
from custom_components.octopus_viz.history.series import HalfHourSeries

_HALF_HOUR = timedelta(minutes=30)


def synthetic_columns(
    first_day: date, days: int, seed: int, *, priced: bool = True
) -> tuple[list[datetime], list[float], list[Decimal | None]]:
    """Half-hours of `days` UTC days: kWh with three decimals, money at 24.57p/kWh."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    starts = [start + i * _HALF_HOUR for i in range(days * 48)]
    kwh = [rng.randrange(0, 2000) / 1000 for _ in starts]
    rate = Decimal("24.57")
    values: list[Decimal | None] = [(Decimal(f"{k:.3f}") * rate if priced else None) for k in kwh]
    return starts, kwh, values


def best_ms(action: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of `repeat` runs, in ms."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def benchmark(years: int = 1, repeat: int = 5) -> dict[str, float]:
    """Milliseconds per operation on `years` of data for an import and an export meter."""
    days = 365 * years
    today = date(2025, 12, 31)
    first = today - timedelta(days=days)
    imp_cols = synthetic_columns(first, days, 1)
    exp_cols = synthetic_columns(first, days, 2)
    imp = HalfHourSeries.from_columns(*imp_cols)
    exp = HalfHourSeries.from_columns(*exp_cols)
    start, end = first, today - timedelta(days=1)

    def websocket_answer() -> object:
        # What the card asks for: net profile and net heatmap, converted to JSON.
        return to_json(
            [
                profile(imp, start, end, minus=exp),
                kwh_heatmap(imp, start, end, minus=exp),
            ]
        )

    def all_sensor_totals() -> None:
        for kind in PeriodKind:
            totals(imp, *period_dates(kind, today), lambda _d: Decimal("53.35"))
            totals(exp, *period_dates(kind, today))

    return {
        "build one meter": best_ms(lambda: HalfHourSeries.from_columns(*imp_cols), repeat),
        "merge one day into one meter": best_ms(
            lambda: imp.merged(HalfHourSeries.from_columns(*synthetic_columns(today, 1, 3))),
            repeat,
        ),
        "totals, every period kind, two meters": best_ms(all_sensor_totals, repeat),
        "summary of the whole span": best_ms(
            lambda: summary(start, end, import_series=imp, export_series=exp), repeat
        ),
        "profile, one meter": best_ms(lambda: profile(imp, start, end), repeat),
        "profile, net of two meters": best_ms(lambda: profile(imp, start, end, minus=exp), repeat),
        "kwh heatmap, net of two meters": best_ms(
            lambda: kwh_heatmap(imp, start, end, minus=exp), repeat
        ),
        "money heatmap, one meter": best_ms(lambda: value_heatmap(imp, start, end), repeat),
        "websocket answer (net profile + net heatmap + JSON)": best_ms(websocket_answer, repeat),
    }


def _heading(years: int) -> str:
    return f"{years} year(s), import + export meters, {years * 365 * 48} half-hours each"


def main(argv: list[str] | None = None) -> None:
    """Print the timings; the optional argument is the number of years."""
    print_timings(argv, 1, _heading, benchmark)


if __name__ == "__main__":
    main()
