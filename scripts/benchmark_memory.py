"""Memory section of the benchmark: what a first backfill leaves alive, and what it makes the
garbage collector do.

For 1, 3 and 8 years of import + export, a fresh entry does its first backfill with the
recorder's statistic writes captured (counted, not kept: the recorder's queue is the recorder's
business) and the tariff comparison's first rate fetch held back; then 3 years again with that
fetch (what the comparison's candidate rates add). Printed per history length:
- live memory: tracemalloc's traced bytes after the backfill minus before it, both after a full
  collection, so only what the integration (and Home Assistant on its behalf) keeps;
- GC-tracked objects: `len(gc.get_objects())` after minus before, the objects every later
  full collection of the whole process has to walk;
- full (generation 2) collections started during the backfill, counted with `gc.callbacks`
  in a run without tracemalloc (tracing changes nothing in the collector's thresholds, but a
  run of its own keeps the timings of the other sections clean).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
import gc
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz import statistics as stats_module
from custom_components.octopus_viz.const import DOMAIN
from scripts.benchmark_harness import comparison_held_back
from tests.ha.conftest import entry_data

MEMORY_YEARS = (1, 3, 8)
TOP_ALLOCATORS = 6


class GenerationCount:
    """Counts the collections of each generation started while installed."""

    def __init__(self) -> None:
        self.started = [0, 0, 0]

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started[info["generation"]] += 1

    def __enter__(self) -> GenerationCount:
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_gc)


def _counting_capture(counter: list[int]) -> Callable[[Any, Any, list[Any]], None]:
    def capture(_hass: Any, _metadata: Any, rows: list[Any]) -> None:
        counter[0] += len(rows)

    return capture


async def _first_backfill(
    hass: Any, history_from: str, name: str, *, comparison: bool
) -> tuple[MockConfigEntry, int]:
    """A first backfill; without `comparison`, the tariff comparison's first rate fetch (a
    background task after the backfill: 3 years of 11 products' rates) is held back."""
    rows = [0]
    entry = MockConfigEntry(
        domain=DOMAIN, title=name, unique_id=name, data=entry_data(history_from)
    )
    entry.add_to_hass(hass)
    with (
        patch.object(stats_module, "async_add_external_statistics", _counting_capture(rows)),
        nullcontext() if comparison else comparison_held_back(),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
    return entry, rows[0]


async def _remove(hass: Any, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def measure_memory(
    hass: Any, history_from_for: Callable[[int], str], years: tuple[int, ...] = MEMORY_YEARS
) -> dict[str, dict[str, Any]]:
    """Live memory, GC-tracked objects and full collections of a first backfill per length,
    then 3 years again with the comparison's candidate rates fetched too."""
    results: dict[str, dict[str, Any]] = {}
    for count, comparison in [*((count, False) for count in years), (3, True)]:
        history_from = history_from_for(count)
        label = f"{count} + comparison" if comparison else str(count)
        # 1. Collections, without tracing (the integration's own allocations only: the
        # statistic rows are captured, so the recorder allocates nothing meanwhile).
        gc.collect()
        began = time.perf_counter()
        with GenerationCount() as generations:
            entry, rows = await _first_backfill(
                hass, history_from, f"gc{label}", comparison=comparison
            )
        seconds = time.perf_counter() - began
        await _remove(hass, entry)
        # 2. What stays alive, traced.
        gc.collect()
        tracemalloc.start()
        before_objects = len(gc.get_objects())
        before = tracemalloc.take_snapshot()
        before_bytes = tracemalloc.get_traced_memory()[0]
        entry, _rows = await _first_backfill(
            hass, history_from, f"mem{label}", comparison=comparison
        )
        gc.collect()
        after_bytes = tracemalloc.get_traced_memory()[0]
        after_objects = len(gc.get_objects())
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        top = [
            f"{stat.size_diff / 1e6:6.2f} MB {stat.count_diff:+8d} "
            f"{stat.traceback[0].filename.rsplit('/', 2)[-1]}:{stat.traceback[0].lineno}"
            for stat in after.compare_to(before, "lineno")[:TOP_ALLOCATORS]
        ]
        del before, after
        results[label] = {
            "live MB": (after_bytes - before_bytes) / 1e6,
            "GC-tracked objects": after_objects - before_objects,
            "full collections": generations.started[2],
            "young collections": generations.started[0] + generations.started[1],
            "statistic rows": rows,
            "backfill s (untraced)": seconds,
            "top": top,
        }
        await _remove(hass, entry)
    return results


def print_memory(results: dict[str, dict[str, Any]]) -> None:
    """One line per history length, then the biggest growing allocation sites."""
    print("memory after a first backfill (statistic writes captured)")
    print(
        "  years               live memory  GC-tracked objects  full GCs  young GCs   rows"
        "   backfill"
    )
    for count, figures in results.items():
        print(
            f"  {count:<18}  {figures['live MB']:>8.2f} MB  {figures['GC-tracked objects']:>18,}"
            f"  {figures['full collections']:>8}  {figures['young collections']:>9}"
            f"  {figures['statistic rows']:>6}  {figures['backfill s (untraced)']:>7.2f} s"
        )
    print("  targets at 3 years: <= 15 MB, <= 20,000 objects, 0 full GCs; 8 years <= 3 x 3 years")
    if "3" in results and "8" in results:
        three, eight = results["3"], results["8"]
        mem_ratio = eight["live MB"] / three["live MB"] if three["live MB"] else 0.0
        objects = three["GC-tracked objects"]
        obj_ratio = eight["GC-tracked objects"] / objects if objects else 0.0
        print(f"  8 years / 3 years: memory {mem_ratio:.2f} x, objects {obj_ratio:.2f} x")
    for count, figures in results.items():
        print(f"  largest growth, {count} years:")
        for line in figures["top"]:
            print(f"    {line}")
