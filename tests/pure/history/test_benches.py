"""The pure benchmarks run and report every figure (timings are printed, not asserted)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from benchmarks import aggregation_bench, cache_bench


@pytest.mark.parametrize(
    ("run", "main", "expected", "printed"),
    [
        (
            lambda: aggregation_bench.benchmark(years=1, repeat=2),
            aggregation_bench.main,
            {
                "build one meter",
                "profile, net of two meters",
                "kwh heatmap, net of two meters",
                "websocket answer (net profile + net heatmap + JSON)",
            },
            "websocket answer",
        ),
        (
            lambda: cache_bench.benchmark(years=1, repeat=1),
            cache_bench.main,
            {
                "upsert 1 x 17520 (first backfill)",
                "set_money of 17520 (re-pricing)",
                "load of 17520",
            },
            "set_money of 17520",
        ),
    ],
    ids=["aggregation", "cache"],
)
def test_a_benchmark_reports_each_figure(
    run: Callable[[], Mapping[str, float]],
    main: Callable[[list[str]], Any],
    expected: set[str],
    printed: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    timings = run()
    assert set(timings) >= expected
    assert all(ms > 0 for ms in timings.values())
    main(["1"])
    assert printed in capsys.readouterr().out
