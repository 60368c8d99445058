"""Timing of the reading cache's writes and reads on synthetic years of one meter.

Run: `.venv/bin/python -m benchmarks.cache_bench [years]`. The figures (best of a few repeats,
in milliseconds) are those of issue 16: a first backfill's upserts (windows of a year, like the
backfill's), re-pricing the whole history (`set_money`), and reading a meter back (`load`).
Pure Python; every file lives in a temporary directory.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from pathlib import Path
import random
import tempfile
import time

from benchmarks.report import print_timings
from custom_components.octopus_viz.history.cache import ReadingCache
from custom_components.octopus_viz.tariffs.money import MoneyColumn

_FIRST = 1_672_531_200  # 2023-01-01T00:00Z
_HALF_HOUR = 1800
_WINDOW = 17_520  # a year of half-hours, the size of a backfill window here
_MPAN = "1900000000001"


def synthetic_meter(half_hours: int, seed: int) -> tuple[array[int], array[float], array[int]]:
    """Consecutive starts, kWh with three decimals, and their kWh in thousandths."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    milli = array("q", [rng.randrange(0, 2000) for _ in range(half_hours)])
    starts = array("q", range(_FIRST, _FIRST + half_hours * _HALF_HOUR, _HALF_HOUR))
    return starts, array("d", [m / 1000 for m in milli]), milli


def priced(milli: array[int], rate_units: int) -> MoneyColumn:
    """Every half-hour priced at one rate (integer units at the default money scale)."""
    return MoneyColumn(array("q", [m * rate_units for m in milli]), array("B", [1]) * len(milli))


def _best_ms(action: Callable[[], object], setup: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        setup()
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def benchmark(years: int = 3, repeat: int = 3) -> dict[str, float]:
    """Milliseconds per operation on `years` of one meter's half-hours."""
    half_hours = 17_520 * years
    starts, kwh, milli = synthetic_meter(half_hours, 1)
    money = priced(milli, 2_457_000)
    repriced = priced(milli, 2_512_345)
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(1_000_000))
        cache = ReadingCache(Path(folder) / "warm.sqlite3")

        def fresh_cache() -> None:
            nonlocal cache
            cache.close()
            cache = ReadingCache(Path(folder) / f"c{next(counter)}.sqlite3")
            cache.get_meta("schema_version")  # opened before the clock starts

        def backfill() -> None:
            for lo in range(0, half_hours, _WINDOW):
                hi = lo + _WINDOW
                window = (starts[lo:hi], kwh[lo:hi], money.slice(lo, hi))
                cache.upsert(_MPAN, window, {f"pending:{_MPAN}": {"energy": starts[lo]}})

        timings = {
            f"upsert {years} x {_WINDOW} (first backfill)": _best_ms(backfill, fresh_cache, repeat)
        }
        timings[f"set_money of {half_hours} (re-pricing)"] = _best_ms(
            lambda: cache.set_money(_MPAN, starts, repriced), lambda: None, repeat
        )
        timings[f"load of {half_hours}"] = _best_ms(lambda: cache.load(_MPAN), lambda: None, repeat)
        loaded = cache.load(_MPAN)
        if list(loaded[0]) != list(starts) or loaded[2] != repriced:
            raise RuntimeError("the cache did not read back what was written")
        cache.close()
    return timings


def _heading(years: int) -> str:
    return f"reading cache, one meter, {years} year(s) = {years * 17_520} half-hours"


def main(argv: list[str] | None = None) -> None:
    """Print the timings; the optional argument is the number of years."""
    print_timings(argv, 3, _heading, benchmark)


if __name__ == "__main__":
    main()
