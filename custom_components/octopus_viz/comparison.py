"""Home Assistant glue of the tariff comparison: background rate refresh and the answers.

The pure work lives in `tariffs.candidate_rates` (which products, their regional tariffs,
their rates kept in the cache) and `history.compare` (pricing the cached half-hours). Here:
- candidate rates are refreshed in a background task after coordinator updates, daily (the
  loader asks only for what it does not hold), never holding up the event loop;
- a comparison is computed in the executor (a year of ten candidates takes a few hundred ms of
  CPU) from the coordinator's snapshot and the kept rates: no request at all;
- the last 30 days are compared again when data or rates change, for the cheapest-tariff sensor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
import logging
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api.local_time import local_midnight, local_today
from .api.models import Direction, Fuel
from .const import DOMAIN
from .coordinator import OctopusVizConfigEntry
from .history.compare import CandidateResult, Comparison, compare_tariffs
from .history.jsonable import to_json
from .history.periods import PeriodKind, period_dates
from .history.queries import QueryError, combined, standing_for
from .history.snapshot import OctopusData
from .tariffs.candidate_rates import CandidateRates
from .tariffs.candidates import (
    ACTUAL,
    ACTUAL_NAMES,
    CUSTOM,
    DEFAULT_FAMILIES,
    PriceOption,
    custom_options,
)
from .tariffs.keys import CONF_COMPARE_FAMILIES, CONF_CUSTOM_TARIFFS
from .tariffs.model import parse_tariff_code

_LOGGER = logging.getLogger(__name__)

COMPARE_KEY: HassKey[dict[str, TariffComparison]] = HassKey(f"{DOMAIN}_compare")
SENSOR_PERIOD: Final = PeriodKind.LAST_30_DAYS


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """What to compare: local days start..end and, optionally, only some products."""

    start: date
    end: date
    products: tuple[str, ...] = ()
    strict: bool = True  # unknown products: an error (service) or unavailable candidates


def families(entry: OctopusVizConfigEntry) -> list[str]:
    """The families chosen in the options (the default set until then)."""
    return list(entry.options.get(CONF_COMPARE_FAMILIES, [str(f) for f in DEFAULT_FAMILIES]))


def comparison_of(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> TariffComparison:
    """The entry's comparison (set up with the entry)."""
    return hass.data[COMPARE_KEY][entry.entry_id]


def _actual_option(data: OctopusData, direction: Direction) -> PriceOption:
    meters = data.electricity(direction)
    timeline = meters[0].timeline if meters else None
    product = None
    if timeline is not None and timeline.tariffs and timeline.tariffs[-1].code:
        try:
            product = parse_tariff_code(timeline.tariffs[-1].code or "").product_code
        except ValueError:
            product = None
    return PriceOption(
        key=ACTUAL,
        name=ACTUAL_NAMES[direction],
        family=ACTUAL,
        direction=direction,
        timeline=timeline,
        product=product,
    )


class TariffComparison:
    """One account's candidates and its latest 30-day comparison."""

    def __init__(self, hass: HomeAssistant, entry: OctopusVizConfigEntry) -> None:
        """Bind to the entry's client and cache (the coordinator's)."""
        coordinator = entry.runtime_data
        # The region is the electricity import meter's (a gas MPRN has no grid supply point).
        imports = [
            m
            for m in coordinator.meters
            if m.direction is Direction.IMPORT and m.fuel is Fuel.ELECTRICITY
        ]
        self.hass = hass
        self.entry = entry
        self.rates = CandidateRates(
            coordinator.client,
            coordinator.cache,
            hass.async_add_executor_job,
            imports[0].mpan if imports else None,
        )
        self.latest: Comparison | None = None
        self._latest_key: tuple[Any, ...] | None = None
        self._busy = False

    # -- lifecycle ------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Read the kept rates (no request), then follow the coordinator's updates."""
        await self.rates.async_load()
        self.entry.async_on_unload(self.entry.runtime_data.async_add_listener(self._updated))
        self._updated()

    @callback
    def _updated(self) -> None:
        """New data, a half-hour tick or new options: refresh in the background when due."""
        # A refused key waits for the user's new one (reauth reloads the entry): no request
        # with it meanwhile.
        if self._busy or isinstance(self.entry.runtime_data.last_exception, ConfigEntryAuthFailed):
            return
        since = self._history_start()
        due = since is not None and self.rates.due(
            dt_util.utcnow(), local_midnight(since), families(self.entry)
        )
        if due or self._latest_key != self._key():
            self._busy = True
            self.entry.async_create_background_task(
                self.hass, self._async_refresh(due), name=f"{DOMAIN} tariff comparison"
            )

    async def _async_refresh(self, due: bool) -> None:
        try:
            since = self._history_start()
            if due and since is not None:
                await self.rates.async_refresh(
                    dt_util.utcnow(), local_midnight(since), families(self.entry)
                )
            await self._async_latest()
        finally:
            self._busy = False

    def _history_start(self) -> date | None:
        firsts = [m.series.first_day for m in self.entry.runtime_data.data.meters.values()]
        known = [day for day in firsts if day is not None]
        return min(known) if known else None

    def _key(self) -> tuple[Any, ...]:
        data = self.entry.runtime_data.data
        today = local_today(dt_util.utcnow())
        return (data.updated_at, self.rates.version, today, tuple(families(self.entry)))

    async def _async_latest(self) -> None:
        """Compare the last 30 days again (for the sensor) and tell the entities."""
        key = self._key()
        start, end = period_dates(SENSOR_PERIOD, key[2])
        try:
            self.latest = await self.hass.async_add_executor_job(
                self.compare, Request(start=start, end=end)
            )
        except QueryError:
            self.latest = None  # no cached half-hour in the period yet
        self._latest_key = key
        self.entry.runtime_data.async_update_listeners()

    # -- answers --------------------------------------------------------------------------

    def options(self) -> tuple[list[PriceOption], list[PriceOption]]:
        """Import and export options: the actual, the chosen families, the custom tariffs."""
        data = self.entry.runtime_data.data
        chosen = families(self.entry)
        custom = custom_options(self.entry.options.get(CONF_CUSTOM_TARIFFS, []))
        found: list[list[PriceOption]] = []
        for direction in (Direction.IMPORT, Direction.EXPORT):
            found.append(
                [
                    _actual_option(data, direction),
                    *self.rates.options(direction, chosen),
                    *(option for option in custom if option.direction is direction),
                ]
            )
        return found[0], found[1]

    def compare(self, request: Request) -> Comparison:
        """Blocking (executor): the period's comparison; QueryError for bad input."""
        data = self.entry.runtime_data.data
        meters = list(data.meters.values())
        imports, exports = self.options()
        known = {o.product for o in (*imports, *exports) if o.product} | {ACTUAL, CUSTOM}
        unknown = [code for code in request.products if code not in known]
        if unknown and request.strict:
            raise QueryError("unknown_product", products=", ".join(unknown))
        result = compare_tariffs(
            request.start,
            request.end,
            import_series=combined(meters, Direction.IMPORT),
            export_series=combined(meters, Direction.EXPORT),
            actual_standing=standing_for(meters),
            imports=imports,
            exports=exports,
            currency=data.currency,
        )
        if not request.products:
            return result
        wanted = set(request.products)
        kept = tuple(
            c
            for c in result.candidates
            if c.is_actual or wanted & {c.import_product, c.export_product, *c.key.split("+")}
        )
        missing = tuple(unavailable_product(code) for code in unknown)
        return Comparison(
            start=result.start,
            end=result.end,
            currency=result.currency,
            actual=result.actual,
            candidates=kept + missing,
        )

    def answer(self, comparison: Comparison) -> dict[str, Any]:
        """The JSON answer of the service and the websocket command."""
        return {
            "entry_id": self.entry.entry_id,
            "title": self.entry.title,
            "currency": comparison.currency,
            "start": comparison.start.isoformat(),
            "end": comparison.end.isoformat(),
            "actual": to_json(comparison.actual),
            "candidates": to_json(list(comparison.candidates)),
        }


def unavailable_product(code: str) -> CandidateResult:
    """A candidate standing for a product code the comparison does not know."""
    return CandidateResult(
        key=code,
        import_product=code,
        export_product=None,
        name=code,
        family="unknown",
        is_actual=False,
        available=False,
        reason="unknown_product",
        eligibility=None,
    )


async def async_setup_comparison(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> None:
    """Create the entry's comparison; its rates are read and refreshed in the background."""
    comparison = TariffComparison(hass, entry)
    hass.data.setdefault(COMPARE_KEY, {})[entry.entry_id] = comparison

    @callback
    def _forget() -> None:
        hass.data[COMPARE_KEY].pop(entry.entry_id, None)

    entry.async_on_unload(_forget)
    entry.async_create_background_task(
        hass, comparison.async_start(), name=f"{DOMAIN} tariff comparison start"
    )


async def async_compare(
    hass: HomeAssistant, entry: OctopusVizConfigEntry, request: Request
) -> dict[str, Any]:
    """Compare in the executor and answer in JSON (QueryError for bad input)."""
    comparison = comparison_of(hass, entry)
    result = await hass.async_add_executor_job(comparison.compare, request)
    return comparison.answer(result)


def products_of(value: Sequence[str] | None) -> tuple[str, ...]:
    """Product codes as asked (no blanks)."""
    return tuple(code.strip() for code in value or () if code.strip())
