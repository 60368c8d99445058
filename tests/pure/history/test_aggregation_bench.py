"""The aggregation benchmark runs and reports every figure (timings are not asserted)."""

from __future__ import annotations

import pytest

from benchmarks.aggregation_bench import benchmark, main


def test_benchmark_one_year_two_meters(capsys: pytest.CaptureFixture[str]) -> None:
    timings = benchmark(years=1, repeat=2)
    assert set(timings) >= {
        "build one meter",
        "profile, net of two meters",
        "kwh heatmap, net of two meters",
        "websocket answer (net profile + net heatmap + JSON)",
    }
    assert all(ms > 0 for ms in timings.values())
    # Speed is reported by the benchmark script (scripts/benchmark), not asserted here.
    main(["1"])
    assert "websocket answer" in capsys.readouterr().out
