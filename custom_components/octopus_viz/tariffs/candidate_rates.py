"""Rates of the comparison's candidate products, fetched once and kept like account tariffs.

Pure Python (blocking work goes through the caller's `run_blocking`). The catalogue (which
product stands for each family, and its tariff code in the meter's region) is refreshed daily;
a product's region tariffs and the meter's region are asked for once. Each candidate tariff is
then priced over the cached history as if it had been the meter's agreement from the history's
first day: the account tariffs' loader fetches its rows, so a past span is never asked for twice,
and the rows are kept in the cache's meta table. A comparison itself asks for nothing.

A product first sold in the middle of the history simply has no rows before that: those
half-hours are unpriced, which the comparison reports as uncovered days.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import Any, Final, Protocol

from ..api.errors import OctopusError
from ..api.models import Agreement, Direction
from ..api.products import MeterPointInfo, ProductDetails, ProductInfo
from .account_loader import AccountTariffLoader, RatesClient
from .candidates import EXPORT_FAMILIES, Family, PriceOption, choose_products
from .source import MetaStore, RunBlocking
from .timeline import Timeline

_LOGGER = logging.getLogger(__name__)

CATALOGUE_KEY: Final = "compare:catalogue"
RATES_KEY: Final = "compare:rates"
CATALOGUE_REFRESH: Final = timedelta(days=1)
# Open-ended rows (today's Agile prices...) are asked for again at most this often.
RATES_REFRESH: Final = timedelta(days=1)
STATE_VERSION: Final = 1


class CatalogueClient(RatesClient, Protocol):
    """What the candidates need from the Octopus client (OctopusClient satisfies it)."""

    async def async_list_products(self, available_at: datetime | None = None) -> list[ProductInfo]:
        """The products a household can choose."""

    async def async_get_product_details(self, product_code: str) -> ProductDetails:
        """A product's tariff codes per region."""

    async def async_get_meter_point(self, mpan: str) -> MeterPointInfo:
        """A meter point's region."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueProduct:
    """The product standing for a family, and its tariff in the meter's region (or None)."""

    family: Family
    code: str
    name: str
    tariff: str | None


class CandidateRates:
    """The candidates' products, their regional tariffs and their timelines."""

    def __init__(
        self,
        client: CatalogueClient,
        store: MetaStore,
        run_blocking: RunBlocking,
        region_mpan: str | None,
    ) -> None:
        """`region_mpan` is the meter whose region prices the candidates (the import one)."""
        self._client = client
        self._store = store
        self._run = run_blocking
        self._region_mpan = region_mpan
        self._loader = AccountTariffLoader(client, refresh_interval=RATES_REFRESH)
        self.region: str | None = None
        self.products: dict[Family, CatalogueProduct] = {}
        self._tariffs_of: dict[str, dict[str, str]] = {}  # product code -> region -> code
        self._fetched_at: datetime | None = None
        self._since: datetime | None = None
        self._timelines: dict[str, Timeline] = {}  # by tariff code
        self._failed: dict[str, str] = {}  # tariff code -> reason
        self._fetched: set[str] = set()  # tariff codes whose rows were asked for
        self.version = 0
        self.error: str | None = None

    # -- stored state -----------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "region": self.region,
            "fetched_at": None if self._fetched_at is None else self._fetched_at.isoformat(),
            "since": None if self._since is None else self._since.isoformat(),
            "products": {
                family.value: {"code": p.code, "name": p.name, "tariff": p.tariff}
                for family, p in self.products.items()
            },
            "tariffs_of": self._tariffs_of,
            "failed": self._failed,
            "fetched": sorted(self._fetched),
        }

    def _restore_state(self, stored: Mapping[str, Any]) -> None:
        try:
            if stored.get("version") != STATE_VERSION:
                raise ValueError(f"version {stored.get('version')!r}")  # noqa: TRY301
            products = {
                Family(family): CatalogueProduct(
                    family=Family(family),
                    code=str(raw["code"]),
                    name=str(raw["name"]),
                    tariff=None if raw["tariff"] is None else str(raw["tariff"]),
                )
                for family, raw in stored["products"].items()
            }
            fetched, since = stored.get("fetched_at"), stored.get("since")
            self._fetched_at = None if fetched is None else datetime.fromisoformat(fetched)
            self._since = None if since is None else datetime.fromisoformat(since)
            self._tariffs_of = {
                str(code): {str(r): str(t) for r, t in regions.items()}
                for code, regions in stored.get("tariffs_of", {}).items()
            }
            self._failed = {str(k): str(v) for k, v in stored.get("failed", {}).items()}
            self._fetched = {str(code) for code in stored.get("fetched", [])}
            self.region = stored.get("region")
            self.products = products
        except (KeyError, TypeError, ValueError) as err:
            _LOGGER.warning("Discarding an unreadable stored tariff catalogue: %s", err)

    async def async_load(self) -> None:
        """The catalogue and the rows kept in the cache (no request), then the timelines."""
        stored = await self._run(self._store.get_meta, CATALOGUE_KEY)
        if stored:
            self._restore_state(stored)
        rows = await self._run(self._store.get_meta, RATES_KEY)
        if rows:
            await self._run(self._loader.restore, rows)
        await self._async_rebuild()

    # -- refresh ----------------------------------------------------------------------------

    def due(self, now: datetime, since: datetime, families: Collection[str]) -> bool:
        """Whether a refresh would ask for anything: daily, when the history grew backwards,
        or when a chosen family's rates are not held yet."""
        missing = any(
            p.tariff is not None
            and p.tariff not in self._timelines
            and p.tariff not in self._failed
            for family, p in self.products.items()
            if family.value in families
        )
        return (
            missing
            or self._fetched_at is None
            or now - self._fetched_at >= min(CATALOGUE_REFRESH, RATES_REFRESH)
            or self._since is None
            or since < self._since
        )

    async def async_refresh(
        self, now: datetime, since: datetime, families: Collection[str]
    ) -> bool:
        """Refresh the catalogue when due and fetch the chosen families' missing rows.

        `since` is the first cached half-hour (candidates are priced from there). True when
        the timelines changed. API errors are kept in `error` (tried again next time).
        """
        self._since = since if self._since is None else min(since, self._since)
        try:
            if self.region is None and self._region_mpan is not None:
                self.region = (await self._client.async_get_meter_point(self._region_mpan)).region
            if self._fetched_at is None or now - self._fetched_at >= CATALOGUE_REFRESH:
                await self._async_catalogue(now)
            self._loader.know_names({p.code: p.name for p in self.products.values()})
            changed = False
            failed: dict[str, str] = {}
            # One at a time: the loader reads a list of agreements as one meter's consecutive
            # tariffs, while every candidate here starts on the same day.
            for agreement in self._agreements(families):
                changed = await self._loader.async_update([agreement], now) or changed
                self._fetched.add(agreement.tariff_code)
                failed.update(
                    (f.agreement.tariff_code, "no_rates")
                    for f in self._loader.failures
                    if f.reason != "error"
                )
        except OctopusError as err:
            self.error = f"{type(err).__name__}: {err}"
            _LOGGER.warning("Tariff comparison: the catalogue could not be refreshed: %s", err)
            return False
        self.error = None
        self._failed = failed
        await self._run(self._persist)
        if changed or self._fetched - set(self._timelines):
            await self._async_rebuild()
            return True
        return False

    async def _async_catalogue(self, now: datetime) -> None:
        chosen = choose_products(await self._client.async_list_products())
        products: dict[Family, CatalogueProduct] = {}
        for family, info in chosen.items():
            regions = self._tariffs_of.get(info.code)
            if regions is None:
                details = await self._client.async_get_product_details(info.code)
                regions = {r: code for r in details.tariffs if (code := details.tariff_code(r))}
                self._tariffs_of[info.code] = regions
            tariff = None if self.region is None else regions.get(self.region)
            name = info.display_name
            products[family] = CatalogueProduct(
                family=family, code=info.code, name=name, tariff=tariff
            )
        self.products = products
        self._fetched_at = now

    def _persist(self) -> None:
        """Blocking: the catalogue and every kept row into the cache (years of Agile rows)."""
        self._store.set_meta({CATALOGUE_KEY: self._state(), RATES_KEY: self._loader.as_dict()})

    def _agreements(self, families: Collection[str]) -> list[Agreement]:
        if self._since is None:
            return []
        return [
            Agreement(tariff_code=p.tariff, valid_from=self._since)
            for family, p in self.products.items()
            if p.tariff is not None and family.value in families
        ]

    async def _async_rebuild(self) -> None:
        self._timelines = await self._run(self._build_timelines)
        self.version += 1

    def _build_timelines(self) -> dict[str, Timeline]:
        """Blocking: one timeline per candidate tariff with rows kept (none asked for)."""
        timelines: dict[str, Timeline] = {}
        if self._since is None:
            return timelines
        for family, product in self.products.items():
            if product.tariff is None or product.tariff not in self._fetched:
                continue
            direction = Direction.EXPORT if family in EXPORT_FAMILIES else Direction.IMPORT
            agreement = Agreement(tariff_code=product.tariff, valid_from=self._since)
            timelines[product.tariff] = self._loader.timeline([agreement], direction)
        return timelines

    # -- what a comparison reads ------------------------------------------------------------

    def options(self, direction: Direction, families: Collection[str]) -> list[PriceOption]:
        """The chosen families' options of one direction (unavailable ones with a reason)."""
        found: list[PriceOption] = []
        for family, product in self.products.items():
            if (family in EXPORT_FAMILIES) != (direction is Direction.EXPORT):
                continue
            if family.value not in families:
                continue
            timeline, reason = None, None
            if product.tariff is None:
                reason = "no_tariff_in_region"
            elif product.tariff in self._failed:
                reason = self._failed[product.tariff]
            elif (timeline := self._timelines.get(product.tariff)) is None:
                reason = "rates_not_loaded"
            found.append(
                PriceOption(
                    key=product.code,
                    name=product.name,
                    family=family.value,
                    direction=direction,
                    timeline=timeline,
                    product=product.code,
                    reason=reason,
                )
            )
        return found
