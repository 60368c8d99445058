"""The cache benchmark runs and reports every figure (timings are not asserted)."""

from __future__ import annotations

import pytest

from benchmarks.cache_bench import benchmark, main


def test_cache_benchmark_reports_each_operation(capsys: pytest.CaptureFixture[str]) -> None:
    timings = benchmark(years=1, repeat=1)
    assert set(timings) == {
        "upsert 1 x 17520 (first backfill)",
        "set_money of 17520 (re-pricing)",
        "load of 17520",
    }
    assert all(ms > 0 for ms in timings.values())
    # Speed is printed by the benchmark script, not asserted here.
    main(["1"])
    assert "set_money of 17520" in capsys.readouterr().out
