"""Benchmark figures of the tariff comparison (called by scripts/benchmark.py).

- first comparison: the requests a fresh candidate store makes for the whole history, next to
  the floor (one request per rate page of each candidate series, pages of 1,500 rows, plus the
  catalogue: the listing, one page per product and the meter point);
- with rates cached: 12 months and 3 years of every candidate, the integration's own work
  (the comparison run directly) and through Home Assistant's executor with the event loop
  watched; requests made meanwhile (0 expected).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
import math
import time
from typing import Any

from homeassistant.util import dt as dt_util

from custom_components.octopus_viz.api.local_time import local_midnight
from custom_components.octopus_viz.comparison import Request, async_compare, comparison_of
from custom_components.octopus_viz.tariffs.candidate_rates import RATES_KEY, CandidateRates
from custom_components.octopus_viz.tariffs.candidates import Family
from custom_components.octopus_viz.tariffs.keys import CONF_COMPARE_FAMILIES
from tests.meta_store import MemoryStore, run_now

RATES_PAGE = 1_500
ALL_FAMILIES = [family.value for family in Family]


async def first_comparison(
    hass: Any, entry: Any, fake: Any, since: date, figures: dict[str, float]
) -> None:
    """Requests of a candidate store that holds nothing yet, against the floor."""
    coordinator = entry.runtime_data
    region_mpan = next(m.mpan for m in coordinator.meters if m.direction.value == "import")
    store = MemoryStore()
    rates = CandidateRates(coordinator.client, store, run_now, region_mpan)
    fake.reset_counts()
    began = time.perf_counter()
    await rates.async_refresh(dt_util.utcnow(), local_midnight(since), ALL_FAMILIES)
    figures["first comparison: wall time of the rate fetch"] = time.perf_counter() - began
    stored = store.values[RATES_KEY]
    floor = sum(max(1, math.ceil(_row_count(s) / RATES_PAGE)) for s in stored["series"].values())
    catalogue = 1 + len(rates.products) + 1  # listing, product pages, meter point
    figures["first comparison: requests"] = fake.count()
    figures["first comparison: floor (rate pages + catalogue)"] = floor + catalogue
    figures["first comparison: rate series"] = len(stored["series"])


async def cached_comparisons(
    hass: Any, entry: Any, fake: Any, watch: Any, end: date, figures: dict[str, float]
) -> None:
    """12 months and 3 years of every candidate, rates cached: own work, stalls, requests."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_COMPARE_FAMILIES: ALL_FAMILIES}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    await asyncio.sleep(0)
    await hass.async_block_till_done(wait_background_tasks=True)
    comparison = comparison_of(hass, entry)
    fake.reset_counts()
    for label, days in (("12 months", 365), ("3 years", 3 * 365)):
        request = Request(start=end - timedelta(days=days - 1), end=end)
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            result = comparison.compare(request)
            runs.append(time.perf_counter() - began)
        figures[f"comparison {label}, own work (best of 3)"] = min(runs)
        figures[f"comparison {label}: candidates"] = len(result.candidates)
        imports, exports = comparison.options()
        figures[f"comparison {label}: options priced"] = len(imports) + len(exports)
        watch.start()
        await async_compare(hass, entry, request)
        watch.report(figures, f"comparison {label}")
    figures["comparison requests (rates cached)"] = fake.count()


def _row_count(series: dict[str, Any]) -> int:
    """Rows of a stored rate series: kept as columns (schema of issue 16), or as row lists."""
    return len(series["columns"]["starts"]) if "columns" in series else len(series["rows"])
