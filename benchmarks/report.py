"""The command line of the pure benchmarks: years from the argument, one line per timing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import sys


def print_timings(
    argv: list[str] | None,
    default_years: int,
    heading: Callable[[int], str],
    benchmark: Callable[[int], Mapping[str, float]],
) -> None:
    """Print `benchmark(years)`'s timings in ms under a heading; the optional argument is
    the number of years."""
    args = sys.argv[1:] if argv is None else argv
    years = int(args[0]) if args else default_years
    print(heading(years))
    for name, ms in benchmark(years).items():
        print(f"{ms:8.2f} ms  {name}")
