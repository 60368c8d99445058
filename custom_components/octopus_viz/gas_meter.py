"""A followed gas meter: the MeterUpdater of electricity, plus cubic metres and their kWh.

What differs from electricity and why:
- a SMETS2 meter reports m³. The cache keeps what the meter reported, so a calorific-value
  edit can convert it again exactly; in memory the meter's columns hold kWh (converted with the
  CVs in the options, tariffs/calorific.py), so pricing, hourly sums, period totals and the
  card work as for electricity. The m³ are kept beside them for the volume statistic and the
  m³ period totals;
- editing the CV converts the history again with no request, re-prices it, and rewrites the
  energy and cost statistics from the first affected hour (the volume is unchanged);
- a SMETS1 meter reports kWh: nothing to convert, no volume statistic.
Statistics: `gas_{mprn}_energy`, `gas_{mprn}_cost` and, in m³ only, `gas_{mprn}_volume`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from homeassistant.core import HomeAssistant

from .api.client import OctopusClient
from .api.models import HalfHourReadings, MeterConfig
from .history.cache import ReadingCache
from .history.columns import (
    Columns,
    first_index_at_or_after,
    hourly_energy,
    merge,
    reprice,
)
from .history.series import HalfHourSeries
from .meter import MeterUpdater, ProcessResult
from .statistics import gas_statistic_ids
from .tariffs.calorific import CalorificValues
from .tariffs.money import MoneyColumn
from .tariffs.source import PriceSource


class GasMeterUpdater(MeterUpdater):
    """Cache, fetch, convert, price and aggregate one gas meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: OctopusClient,
        cache: ReadingCache,
        meter: MeterConfig,
        source: PriceSource,
        history_from: date | None = None,
        calorific: CalorificValues | None = None,
    ) -> None:
        """Bind the meter; `calorific` converts its m³ (the default CV when None)."""
        super().__init__(hass, client, cache, meter, source, history_from)
        self.calorific = calorific or CalorificValues()
        self.statistic_ids = gas_statistic_ids(meter.mpan, volume=meter.reports_volume)
        # What the meter reported (m³), parallel to self.columns; prices are not kept here.
        self.volumes = Columns.empty()
        self._fetched: HalfHourReadings | None = None
        self._pending_volume: int | None = None

    # -- reading, converting and storing --------------------------------------------------------

    async def async_load(self) -> None:
        """Columns from the cache (m³ converted), then the pending volume marker."""
        await super().async_load()
        pending = await self.hass.async_add_executor_job(self.cache.get_meta, self._pending_key, {})
        self._pending_volume = pending.get("volume")

    async def _async_columns(
        self, starts: array[int], quantities: array[float], money: MoneyColumn
    ) -> Columns:
        if not self.meter.reports_volume:
            return Columns(starts, quantities, money)
        self.volumes = Columns(starts, quantities, MoneyColumn.unpriced(len(starts)))
        kwh = await self.hass.async_add_executor_job(self.calorific.to_kwh, starts, quantities)
        return Columns(starts, kwh, money)

    async def _async_energy(self, readings: HalfHourReadings) -> HalfHourReadings:
        if not self.meter.reports_volume:
            return readings
        self._fetched = readings
        kwh = await self.hass.async_add_executor_job(
            self.calorific.to_kwh, readings.starts, readings.kwh
        )
        return HalfHourReadings(readings.starts, kwh)

    async def _async_cache_rows(
        self, changed: Columns
    ) -> tuple[Sequence[int], Sequence[float], MoneyColumn]:
        """The changed half-hours as reported (m³), with their prices, for the cache."""
        fetched, self._fetched = self._fetched, None
        if not self.meter.reports_volume or fetched is None:
            return await super()._async_cache_rows(changed)
        volumes, first, raw = await self.hass.async_add_executor_job(merge, self.volumes, fetched)
        self.volumes = volumes
        if first is not None:
            self._pending_volume = _earliest(self._pending_volume, volumes.starts[first])
        # The same half-hours changed in both (the conversion is one to one); a start that
        # changed in m³ only (none expected) is stored unpriced and re-priced later.
        if raw.starts == changed.starts:
            return raw.starts, raw.kwh, changed.money
        index = {start: i for i, start in enumerate(changed.starts)}
        picked = [index.get(start) for start in raw.starts]
        money = changed.money.pick([i for i in picked if i is not None])
        if len(money) != len(raw):
            return raw.starts, raw.kwh, MoneyColumn.unpriced(len(raw))
        return raw.starts, raw.kwh, money

    def _pending(self) -> dict[str, int | None]:
        return {**super()._pending(), "volume": self._pending_volume}

    # -- calorific value ------------------------------------------------------------------------

    async def async_set_calorific(self, calorific: CalorificValues) -> bool:
        """New CVs from the options: convert, re-price and mark energy and cost stale from
        the first half-hour whose kWh changed (no request). False when nothing changed."""
        if calorific == self.calorific:
            return False
        self.calorific = calorific
        if not self.meter.reports_volume or not self.volumes.starts:
            return False
        volumes, old = self.volumes, self.columns
        kwh = await self.hass.async_add_executor_job(calorific.to_kwh, volumes.starts, volumes.kwh)
        first = next((i for i, (a, b) in enumerate(zip(old.kwh, kwh, strict=True)) if a != b), None)
        if first is None:
            return False
        columns = Columns(old.starts, kwh, old.money)
        if self.source.ready:
            columns, _, changed = await self.hass.async_add_executor_job(
                reprice, columns, self.source.price_money, first
            )
            self._dirty_prices.append(changed)
        self.columns = columns
        start = columns.starts[first]
        self._pending_energy = _earliest(self._pending_energy, start)
        self._pending_money = _earliest(self._pending_money, start)
        # Remembered at once: a restart before the statistics are written still rewrites them.
        await self.hass.async_add_executor_job(
            self.cache.set_meta, {self._pending_key: self._pending()}
        )
        return True

    # -- processing -----------------------------------------------------------------------------

    async def async_process(self, *, include_standing: bool) -> ProcessResult:
        """As for electricity, plus the m³ per hour from the first changed reading."""
        result = await super().async_process(include_standing=include_standing)
        if self._pending_volume is not None and self.volumes.starts:
            index = first_index_at_or_after(self.volumes, self._pending_volume)
            result.volume_hours = await self.hass.async_add_executor_job(
                hourly_energy, self.volumes, index
            )
        return result

    async def async_commit(self) -> None:
        """Statistics were queued: the volume marker is cleared with the others."""
        self._pending_volume = None
        await super().async_commit()

    async def _async_rebuild_snapshot(self) -> None:
        await super()._async_rebuild_snapshot()
        if self.meter.reports_volume:
            volumes = self.volumes
            series = await self.hass.async_add_executor_job(
                HalfHourSeries, volumes.starts, volumes.kwh, self.columns.money
            )
            self._snapshot = replace(self._snapshot, volume=series)

    def statistic_name(self, money: bool) -> str:
        """'Octopus gas {mprn} energy' / '... cost' (statistic names are not translated)."""
        return f"Octopus gas {self.meter.mpan} {'cost' if money else 'energy'}"

    def volume_statistic_name(self) -> str:
        """'Octopus gas {mprn} volume'."""
        return f"Octopus gas {self.meter.mpan} volume"


def _earliest(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)
