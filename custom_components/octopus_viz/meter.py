"""One followed meter: its cached columns, its tariffs, and the steps of an update.

The coordinator drives one `MeterUpdater` per meter; it owns the meter's in-memory columns
(mirroring the SQLite cache), its pricing source and the "pending statistics" markers that make
a restart in the middle of a backfill safe: the first changed half-hour is written to the cache
in the same transaction as the readings, and cleared only once the statistics from it were
queued.
"""

from __future__ import annotations

from array import array
import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
import logging

from homeassistant.core import HomeAssistant

from .api.client import OctopusClient
from .api.local_time import (
    HALF_HOUR_SECONDS,
    date_of_day_number,
    local_midnight,
    local_position,
)
from .api.models import HalfHourReadings, MeterConfig
from .history.cache import ReadingCache
from .history.columns import (
    Columns,
    Hourly,
    first_index_at_or_after,
    hourly_energy,
    hourly_money,
    merge,
    reprice,
)
from .history.series import HalfHourSeries
from .history.snapshot import MeterSnapshot
from .history.unpriced import unpriced_runs
from .repairs import async_report_unpriced
from .statistics import StatisticIds, statistic_ids
from .tariffs.money import MoneyColumn
from .tariffs.source import PriceSource

_LOGGER = logging.getLogger(__name__)

_HALF_HOUR = timedelta(seconds=HALF_HOUR_SECONDS)
# Re-asked on every poll: Octopus delivers late readings and corrections within days.
REFETCH_WINDOW = timedelta(days=7)
# 24,000 half-hours: one request per window even with the extra row the API may add.
BACKFILL_WINDOW = timedelta(days=500)
# Without an agreement or a chosen date, a first backfill reaches this far back.
DEFAULT_HISTORY = timedelta(days=3 * 366)


@dataclass(slots=True)
class ProcessResult:
    """Hours to write, and the span of new data for the `data_updated` event."""

    energy_hours: Hourly = field(default_factory=lambda: Hourly([], []))
    money_hours: Hourly = field(default_factory=lambda: Hourly([], []))
    volume_hours: Hourly = field(default_factory=lambda: Hourly([], []))  # gas in m³ only
    first_new: datetime | None = None
    last_new: datetime | None = None


def _local_day_starting(hour_start: int) -> date | None:
    """The local date whose midnight falls in the UTC hour starting at `hour_start`."""
    day, slot = local_position(hour_start)
    return date_of_day_number(day) if slot == 0 else None


class MeterUpdater:
    """Cache, fetch, price and aggregate one meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: OctopusClient,
        cache: ReadingCache,
        meter: MeterConfig,
        source: PriceSource,
        history_from: date | None = None,
    ) -> None:
        """Bind the meter to its client, cache and price source."""
        self.hass = hass
        self.client = client
        self.cache = cache
        self.meter = meter
        self.source = source
        self.history_from = history_from
        self.refetch_from: datetime | None = None
        self.columns = Columns.empty()
        self.statistic_ids: StatisticIds = statistic_ids(meter.mpan, meter.direction)
        self._pending_energy: int | None = None  # first half-hour whose energy stats are stale
        self._pending_money: int | None = None
        self._new_span: tuple[int, int] | None = None
        self._priced_version: int | None = None
        self._dirty_prices: list[Columns] = []  # re-priced half-hours, not yet stored
        self._unpriced: list[tuple[datetime, datetime]] = []
        self._snapshot = MeterSnapshot(config=meter, series=HalfHourSeries.empty(), timeline=None)

    def set_meter(self, meter: MeterConfig) -> None:
        """New agreements from the account (daily refresh)."""
        self.meter = meter
        self.source.set_meter(meter)

    # -- keys in the cache's meta table ---------------------------------------------------------

    @property
    def _pending_key(self) -> str:
        return f"pending:{self.meter.mpan}"

    # -- loading ------------------------------------------------------------------------------

    async def async_load(self) -> None:
        """Columns and pending markers from the cache; tariff source from its stored rows."""
        starts, quantities, money = await self.hass.async_add_executor_job(
            self.cache.load, self.meter.mpan
        )
        self.columns = await self._async_columns(starts, quantities, money)
        pending = await self.hass.async_add_executor_job(self.cache.get_meta, self._pending_key, {})
        self._pending_energy = pending.get("energy")
        self._pending_money = pending.get("money")
        await self.source.async_load()
        await self._async_rebuild_snapshot()

    async def _async_rebuild_snapshot(self) -> None:
        columns, previous = self.columns, self._snapshot.series
        if previous.epochs is columns.starts and previous.kwh is columns.kwh:
            # Re-priced only (reprice shares the readings' columns): the index is kept.
            series = await self.hass.async_add_executor_job(previous.with_money, columns.money)
        else:
            series = await self.hass.async_add_executor_job(
                HalfHourSeries, columns.starts, columns.kwh, columns.money
            )
        until = (
            datetime.fromtimestamp(columns.starts[-1] + HALF_HOUR_SECONDS, UTC)
            if columns.starts
            else None
        )
        self._snapshot = MeterSnapshot(
            config=self.meter,
            series=series,
            timeline=self.source.timeline,
            tariff_source=self.source.kind,
            tariff_error=self.source.error,
            tariff_version=self.source.version,
            currency=self.source.currency,
            data_until=until,
        )

    @property
    def snapshot(self) -> MeterSnapshot:
        """What readers see: the priced half-hours and the price source's current state.

        A refresh that brought no new rate leaves the series alone; only the small fields are
        replaced, so sensors keep their memo of the series.
        """
        snapshot, source = self._snapshot, self.source
        if (snapshot.tariff_version, snapshot.tariff_error, snapshot.tariff_source) != (
            source.version,
            source.error,
            source.kind,
        ):
            snapshot = self._snapshot = replace(
                snapshot,
                timeline=source.timeline,
                currency=source.currency,
                tariff_source=source.kind,
                tariff_error=source.error,
                tariff_version=source.version,
            )
        return snapshot

    # -- fetching -----------------------------------------------------------------------------

    def history_start(self) -> datetime:
        """Where a first backfill starts: the chosen date, else the first agreement."""
        if self.history_from is not None:
            return local_midnight(self.history_from)
        starts = [a.valid_from for a in self.meter.agreements]
        if starts:
            return min(starts)
        return datetime.now(UTC) - DEFAULT_HISTORY

    def _fetch_start(self, now: datetime) -> datetime:
        if self.refetch_from is not None:
            return max(self.refetch_from, self.history_start())
        last = self.columns.last_start
        if last is None:
            return self.history_start()
        newest_end = datetime.fromtimestamp(last + HALF_HOUR_SECONDS, UTC)
        return max(min(newest_end - REFETCH_WINDOW, now), self.history_start())

    async def async_update(self, now: datetime) -> None:
        """Refresh the tariffs and fetch new readings, the two overlapping (a first backfill
        waits on dozens of requests): readings are stored only once the tariffs are
        current, as they are priced on the way in."""
        tariffs = asyncio.ensure_future(self.async_refresh_tariffs(now))
        try:
            await self.async_fetch(now, tariffs)
        finally:
            tariffs.cancel()  # a fetch that failed first leaves no refresh running alone

    async def async_fetch(self, now: datetime, before_store: Awaitable[None] | None = None) -> None:
        """Fetch from the newest cached reading (minus the re-fetch window) up to now.

        Windows are stored (and committed) in order; the next one is asked for while the
        previous one is stored. `before_store` is awaited before anything is stored.
        """
        start = self._fetch_start(now)
        windows: list[tuple[datetime, datetime]] = []
        while start < now:
            windows.append((start, min(start + BACKFILL_WINDOW, now)))
            start = windows[-1][1]
        pending = [asyncio.ensure_future(self._async_get(w)) for w in windows[:1]]
        try:
            if before_store is not None:
                await before_store
            for index in range(len(windows)):
                readings = await pending.pop()
                if index + 1 < len(windows):
                    pending.append(asyncio.ensure_future(self._async_get(windows[index + 1])))
                await self._async_store(readings)
        finally:
            for task in pending:
                task.cancel()
        self.refetch_from = None

    async def _async_get(self, window: tuple[datetime, datetime]) -> HalfHourReadings:
        return await self.client.async_get_consumption(
            self.meter.mpan, self.meter.serial, window[0], window[1], self.meter.fuel
        )

    # What the cache keeps is what the meter reports; a gas meter in m³ converts it to kWh in
    # memory (gas_meter.py). For every other meter both hooks pass the readings through.

    async def _async_columns(
        self, starts: array[int], quantities: array[float], money: MoneyColumn
    ) -> Columns:
        return Columns(starts, quantities, money)

    async def _async_energy(self, readings: HalfHourReadings) -> HalfHourReadings:
        return readings

    async def _async_cache_rows(
        self, changed: Columns
    ) -> tuple[Sequence[int], Sequence[float], MoneyColumn]:
        return changed.starts, changed.kwh, changed.money

    async def _async_store(self, readings: HalfHourReadings) -> None:
        # Priced on the way in (stores wait for the tariff refresh, see async_update), so
        # the cache gets readings and prices in one write.
        price = self.source.price_money if self.source.ready else None
        was_empty = not self.columns.starts
        columns, first, changed = await self.hass.async_add_executor_job(
            merge, self.columns, await self._async_energy(readings), price
        )
        if first is None:
            return
        if was_empty and price is not None:
            # Everything cached is priced by the current tariffs: nothing to re-price.
            self._priced_version = self.source.version
        first_start = columns.starts[first]
        self._pending_energy = _min(self._pending_energy, first_start)
        self._pending_money = _min(self._pending_money, first_start)
        rows = await self._async_cache_rows(changed)
        # The pending marker is committed with the readings: a restart right after still
        # knows which statistics must be written.
        await self.hass.async_add_executor_job(
            self.cache.upsert, self.meter.mpan, rows, {self._pending_key: self._pending()}
        )
        self.columns = columns
        last = columns.starts[-1]
        span = self._new_span
        self._new_span = (first_start, last) if span is None else (min(span[0], first_start), last)

    def _pending(self) -> dict[str, int | None]:  # gas_meter.py adds the volume
        return {"energy": self._pending_energy, "money": self._pending_money}

    # -- tariffs ------------------------------------------------------------------------------

    async def async_refresh_tariffs(self, now: datetime) -> None:
        """Let the price source fetch newly published rates (it decides whether it is due)."""
        await self.source.async_refresh(now, self.history_start())

    def mark_money_dirty(self) -> None:
        """Rewrite the whole money statistic at the next process (standing option changed)."""
        if self.columns.starts:
            self._pending_money = self.columns.starts[0]

    async def async_set_source(self, source: PriceSource) -> None:
        """Tariffs were edited in the options: the next process re-prices the history."""
        self.source = source
        self._priced_version = None  # versions count per source: force a full re-price
        await source.async_load()

    # -- processing ---------------------------------------------------------------------------

    async def async_process(self, *, include_standing: bool) -> ProcessResult:
        """Price and sum hours from the first change; rebuild the snapshot if anything moved."""
        result = ProcessResult()
        moved = False
        if self.source.ready and self.columns.starts:
            # A new tariff version (an edit, newly published rates, a restart) re-prices the
            # whole history. Otherwise every half-hour was priced as it was stored, by this
            # version (a source that is not ready prices nothing and has no version yet).
            begin = 0 if self._priced_version != self.source.version else len(self.columns)
            columns, first, changed = await self.hass.async_add_executor_job(
                reprice, self.columns, self.source.price_money, begin
            )
            self._priced_version = self.source.version
            if first is not None:
                self.columns = columns
                self._dirty_prices.append(changed)
                self._pending_money = _min(self._pending_money, columns.starts[first])
                moved = True
        columns = self.columns
        if self._pending_energy is not None:
            index = first_index_at_or_after(columns, self._pending_energy)
            result.energy_hours = await self.hass.async_add_executor_job(
                hourly_energy, columns, index
            )
            moved = True
        if self._pending_money is not None and self.source.ready:
            index = first_index_at_or_after(columns, self._pending_money)
            standing = self.source.standing_for_day if include_standing else None
            result.money_hours = await self.hass.async_add_executor_job(
                hourly_money, columns, index, standing, _local_day_starting
            )
            moved = True
        if self._new_span is not None:
            result.first_new = _utc(self._new_span[0])
            result.last_new = _utc(self._new_span[1] + HALF_HOUR_SECONDS)
        if moved or (self._snapshot.timeline is None and self.source.ready):
            self._unpriced = await self.hass.async_add_executor_job(unpriced_runs, columns)
            await self._async_rebuild_snapshot()
        return result

    async def async_commit(self) -> None:
        """Statistics were queued: persist prices and clear the pending markers."""
        dirty, self._dirty_prices = self._dirty_prices, []
        for changed in dirty:  # in order: a later re-pricing overwrites an earlier one
            await self.hass.async_add_executor_job(
                self.cache.set_money, self.meter.mpan, changed.starts, changed.money
            )
        self._pending_energy = None
        if self.source.ready:
            self._pending_money = None
        self._new_span = None
        await self.hass.async_add_executor_job(
            self.cache.set_meta, {self._pending_key: self._pending()}
        )

    def report_unpriced(self, hass: HomeAssistant, entry_id: str) -> None:
        """A repair issue naming the unpriced periods, or none when everything is priced."""
        unpriced = self._unpriced if self.source.ready else []
        async_report_unpriced(hass, entry_id, self.meter, unpriced)

    def statistic_name(self, money: bool) -> str:
        """Human name of a statistic (statistic names are not translatable in HA)."""
        kind = self.meter.direction.value
        if money:
            label = "cost" if kind == "import" else "revenue"
            return f"Octopus {self.meter.mpan} {kind} {label}"
        return f"Octopus {self.meter.mpan} {kind}"


def _min(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
