"""Where a meter's prices come from: the account's agreements or the user's custom tariffs.

Both sources expose the same small surface (price many half-hours, standing charge per day,
rate now / next change) over a `Timeline`, plus a `version` that changes whenever the timeline
does, so the meter updater knows when the cached history must be re-priced. No Home Assistant
import: blocking work is handed to the `run_blocking` callable the caller provides (HA's
executor), and fetched rows are kept in a `MetaStore` (the history cache).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
import logging
from typing import Any, Protocol

from ..api.models import MeterConfig
from . import Tariff, TariffConfigError, Timeline, tariff_from_dict
from .account_loader import AccountTariffLoader
from .keys import (
    CONF_CUSTOM_TARIFFS,
    CONF_TARIFF_SOURCE,
    TARIFF_SOURCE_ACCOUNT,
    TARIFF_SOURCE_CUSTOM,
)
from .money import MoneyColumn
from .pricing import price_epochs, price_money

_LOGGER = logging.getLogger(__name__)

type RunBlocking = Callable[..., Awaitable[Any]]


class MetaStore(Protocol):
    """Where fetched rate rows are kept between restarts (the history cache implements it).

    A protocol rather than the cache class keeps the layers one way: tariffs never import
    history.
    """

    def get_meta(self, key: str, default: Any = None) -> Any:
        """The stored JSON value of a key (blocking: called through `run_blocking`)."""

    def set_meta(self, values: dict[str, Any]) -> None:
        """Store JSON values by key in one transaction (blocking)."""


class PriceSource:
    """A meter's timeline and what the rest of the integration asks of it."""

    kind = ""  # as stored in the options: TARIFF_SOURCE_ACCOUNT or TARIFF_SOURCE_CUSTOM

    def __init__(self, meter: MeterConfig) -> None:
        """Start without a timeline (nothing priced until loaded)."""
        self.meter = meter
        self._timeline: Timeline | None = None
        self.version = 0
        self.error: str | None = None  # why the source has no timeline, for diagnostics

    @property
    def ready(self) -> bool:
        """Whether prices can be computed."""
        return self._timeline is not None

    @property
    def timeline(self) -> Timeline | None:
        """The tariffs in force over time."""
        return self._timeline

    @property
    def currency(self) -> str:
        """Currency of the tariffs (GBP when none says otherwise)."""
        if self._timeline is not None and self._timeline.tariffs:
            return self._timeline.tariffs[-1].currency
        return "GBP"

    def _set_timeline(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self.version += 1

    async def async_load(self) -> None:
        """Build the timeline from what is stored (no network)."""
        raise NotImplementedError

    def set_meter(self, meter: MeterConfig) -> None:
        """The meter's agreements were read again from the account."""
        self.meter = meter

    def same_as(self, other: PriceSource) -> bool:
        """Whether `other` prices exactly as this source would (options unchanged)."""
        return type(other) is type(self)

    async def async_refresh(self, now: datetime, since: datetime | None) -> None:
        """Fetch newly published rates when due (account tariffs only), for the agreements in
        force after `since` (the start of the kept history)."""

    def price(self, starts: Sequence[int], kwh: Sequence[float]) -> list[Decimal | None]:
        """Money of each half-hour starting at `starts` (UTC epoch seconds); None = unpriced."""
        if self._timeline is None:
            return [None] * len(starts)
        return price_epochs(self._timeline, starts, kwh)

    def price_money(self, starts: Sequence[int], kwh: Sequence[float]) -> MoneyColumn:
        """`price` as exact integers (what the cache keeps): no Decimal per half-hour."""
        if self._timeline is None:
            return MoneyColumn.unpriced(len(starts))
        return price_money(self._timeline, starts, kwh)[0]

    def standing_for_day(self, day: date) -> Decimal | None:
        """Standing charge of a local day (None when unknown or none)."""
        return None if self._timeline is None else self._timeline.standing_charge_for_day(day)

    def rate_at(self, instant: datetime) -> Decimal | None:
        """Unit rate in force at an instant."""
        return None if self._timeline is None else self._timeline.rate_at(instant)

    def next_change(self, instant: datetime) -> tuple[datetime, Decimal | None] | None:
        """When the rate next changes, and to what."""
        return None if self._timeline is None else self._timeline.next_change(instant)

    def tariff_at(self, instant: datetime) -> Tariff | None:
        """The tariff in force at an instant."""
        return None if self._timeline is None else self._timeline.tariff_at(instant)


class CustomPriceSource(PriceSource):
    """Tariffs the user entered or imported (stored as dicts in the entry's options)."""

    kind = TARIFF_SOURCE_CUSTOM

    def __init__(self, meter: MeterConfig, tariffs: Sequence[Mapping[str, Any]]) -> None:
        """Keep the stored tariffs; they are parsed on load."""
        super().__init__(meter)
        self._stored = list(tariffs)

    def same_as(self, other: PriceSource) -> bool:
        """Same custom tariffs."""
        return isinstance(other, CustomPriceSource) and other._stored == self._stored

    async def async_load(self) -> None:
        """Parse the tariffs of the meter's direction into a timeline."""
        try:
            tariffs = [tariff_from_dict(raw) for raw in self._stored]
            meter = self.meter
            mine = [t for t in tariffs if (t.fuel, t.direction) == (meter.fuel, meter.direction)]
            self._set_timeline(Timeline(mine, self.meter.direction))
            self.error = None
        except TariffConfigError as err:
            # The options flow validates before saving, so this means a hand-edited entry.
            self.error = str(err)
            _LOGGER.error("Custom tariffs of meter %s are invalid: %s", self.meter.mpan, err)


class AccountPriceSource(PriceSource):
    """Tariffs of the meter's agreements, with published rates kept in the cache."""

    kind = TARIFF_SOURCE_ACCOUNT

    def __init__(
        self,
        meter: MeterConfig,
        loader: AccountTariffLoader,
        cache: MetaStore,
        run_blocking: RunBlocking,
    ) -> None:
        """Bind the loader (which asks the API) to the cache that keeps its rows."""
        super().__init__(meter)
        self._loader = loader
        self._cache = cache
        self._run = run_blocking
        self._stale = False

    @property
    def _meta_key(self) -> str:
        return f"rates:{self.meter.mpan}"

    async def async_load(self) -> None:
        """Rebuild the timeline from the rows kept in the cache (no request)."""
        stored = await self._run(self._cache.get_meta, self._meta_key)
        if stored:
            # Years of Agile rows: restoring and building take tens of ms, off the event loop.
            await self._run(self._loader.restore, stored)
            await self._async_rebuild()

    async def _async_rebuild(self) -> None:
        timeline = await self._run(
            self._loader.timeline, self.meter.agreements, self.meter.direction
        )
        self._set_timeline(timeline)

    def set_meter(self, meter: MeterConfig) -> None:
        """New agreements were read from the account (the next refresh rebuilds)."""
        if meter.agreements != self.meter.agreements:
            self.meter = meter
            self._stale = True

    async def async_refresh(self, now: datetime, since: datetime | None) -> None:
        """Fetch rows published since the last fetch; rebuild when anything arrived.

        Agreements that ended before `since` price no reading we keep: their rates are not
        asked for (their spans stay unpriced in the timeline).
        """
        wanted = [
            a
            for a in self.meter.agreements
            if since is None or a.valid_to is None or a.valid_to > since
        ]
        changed = await self._loader.async_update(wanted, now)
        if changed or self._stale or not self.ready:
            stored = await self._run(self._loader.as_dict)
            await self._run(self._cache.set_meta, {self._meta_key: stored})
            await self._async_rebuild()
            self._stale = False
        failed = self._loader.failed_agreements
        self.error = ", ".join(failed) if failed else None


def price_source_for(
    meter: MeterConfig,
    options: Mapping[str, Any],
    loader_factory: Callable[[], AccountTariffLoader],
    cache: MetaStore,
    run_blocking: RunBlocking,
) -> PriceSource:
    """The source chosen for a meter in the options (the account by default)."""
    if options.get(CONF_TARIFF_SOURCE, {}).get(meter.mpan) == TARIFF_SOURCE_CUSTOM:
        return CustomPriceSource(meter, options.get(CONF_CUSTOM_TARIFFS, []))
    return AccountPriceSource(meter, loader_factory(), cache, run_blocking)
