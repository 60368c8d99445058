"""Sensors: period totals per meter and for the account, current/next rates, data freshness.

Period totals have no state_class on purpose: they reset every period and are not meters, and
without a state class they create no statistics, so they never appear in the Energy
dashboard's pickers next to the integration's external statistics (which are what the
dashboard should use).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory, UnitOfEnergy
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.local_time import local_today
from .api.models import Direction, MeterConfig
from .coordinator import OctopusVizConfigEntry, OctopusVizCoordinator
from .entity import OctopusVizEntity
from .history.aggregation import Summary, Totals, totals
from .history.periods import PeriodKind, period_bounds, period_dates
from .history.queries import account_summary
from .history.series import HalfHourSeries
from .history.snapshot import MeterSnapshot, OctopusData
from .tariffs.source import PriceSource

PARALLEL_UPDATES = 0  # coordinator-driven: nothing is polled per entity
STALE_AFTER = timedelta(days=7)  # no new reading for this long: totals are unavailable

PERIODS = (
    PeriodKind.YESTERDAY,
    PeriodKind.THIS_WEEK,
    PeriodKind.LAST_WEEK,
    PeriodKind.THIS_MONTH,
    PeriodKind.LAST_MONTH,
    PeriodKind.THIS_YEAR,
)
ENABLED_PERIODS = frozenset({PeriodKind.YESTERDAY, PeriodKind.THIS_WEEK, PeriodKind.THIS_MONTH})


@dataclass(frozen=True, kw_only=True)
class MeterPeriodDescription(SensorEntityDescription):
    """A total of one meter over a named period."""

    period: PeriodKind
    money: bool
    value_fn: Callable[[Totals], StateType]


@dataclass(frozen=True, kw_only=True)
class AccountPeriodDescription(SensorEntityDescription):
    """A figure of the whole account over a named period."""

    period: PeriodKind
    value_fn: Callable[[Summary], StateType]


@dataclass(frozen=True, kw_only=True)
class RateDescription(SensorEntityDescription):
    """A rate figure of a meter's tariffs at an instant."""

    value_fn: Callable[[PriceSource, datetime], StateType | datetime]
    is_rate: bool = True


def _meter_descriptions(direction: Direction) -> list[MeterPeriodDescription]:
    money_key = "cost" if direction is Direction.IMPORT else "revenue"
    out: list[MeterPeriodDescription] = []
    for period in PERIODS:
        enabled = period in ENABLED_PERIODS
        out.append(
            MeterPeriodDescription(
                key=f"energy_{period}",
                translation_key=f"energy_{period}",
                device_class=SensorDeviceClass.ENERGY,
                native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
                suggested_display_precision=2,
                entity_registry_enabled_default=enabled,
                period=period,
                money=False,
                value_fn=lambda t: round(t.kwh, 3),
            )
        )
        out.append(
            MeterPeriodDescription(
                key=f"{money_key}_{period}",
                translation_key=f"{money_key}_{period}",
                device_class=SensorDeviceClass.MONETARY,
                suggested_display_precision=2,
                entity_registry_enabled_default=enabled,
                period=period,
                money=True,
                value_fn=lambda t: float(t.value),
            )
        )
    return out


ACCOUNT_DESCRIPTIONS: tuple[AccountPeriodDescription, ...] = tuple(
    description
    for period in PERIODS
    for description in (
        AccountPeriodDescription(
            key=f"standing_charges_{period}",
            translation_key=f"standing_charges_{period}",
            device_class=SensorDeviceClass.MONETARY,
            suggested_display_precision=2,
            entity_registry_enabled_default=False,
            period=period,
            value_fn=lambda s: float(s.standing),
        ),
        AccountPeriodDescription(
            key=f"net_{period}",
            translation_key=f"net_{period}",
            device_class=SensorDeviceClass.MONETARY,
            suggested_display_precision=2,
            entity_registry_enabled_default=period in ENABLED_PERIODS,
            period=period,
            value_fn=lambda s: float(s.net),
        ),
    )
)


def _next_change_time(source: PriceSource, now: datetime) -> datetime | None:
    change = source.next_change(now)
    return None if change is None else change[0]


def _next_rate(source: PriceSource, now: datetime) -> StateType:
    change = source.next_change(now)
    return None if change is None or change[1] is None else float(change[1])


def _current_rate(source: PriceSource, now: datetime) -> StateType:
    rate = source.rate_at(now)
    return None if rate is None else float(rate)


RATE_DESCRIPTIONS: tuple[RateDescription, ...] = (
    RateDescription(
        key="current_rate",
        translation_key="current_rate",
        value_fn=_current_rate,
        suggested_display_precision=4,
    ),
    RateDescription(
        key="next_rate",
        translation_key="next_rate",
        value_fn=_next_rate,
        suggested_display_precision=4,
    ),
    RateDescription(
        key="next_rate_change",
        translation_key="next_rate_change",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_next_change_time,
        is_rate=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OctopusVizConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the account's and each meter's sensors."""
    coordinator = entry.runtime_data
    entities: list[SensorEntity] = [
        AccountPeriodSensor(coordinator, description) for description in ACCOUNT_DESCRIPTIONS
    ]
    for meter in coordinator.meters:
        entities.extend(
            MeterPeriodSensor(coordinator, description, meter)
            for description in _meter_descriptions(meter.direction)
        )
        entities.extend(
            RateSensor(coordinator, description, meter) for description in RATE_DESCRIPTIONS
        )
        entities.append(DataUntilSensor(coordinator, meter))
    async_add_entities(entities)


def _period_attributes(
    start: date, end: date, data_until: datetime | None, unpriced: int
) -> dict[str, Any]:
    period_end = period_bounds(start, end)[1]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "data_until": data_until.isoformat() if data_until else None,
        "complete": data_until is not None and data_until >= period_end,
        "unpriced_half_hours": unpriced,
    }


def _fresh(data_until: datetime | None) -> bool:
    return data_until is not None and dt_util.utcnow() - data_until < STALE_AFTER


class MeterPeriodSensor(OctopusVizEntity, SensorEntity):
    """kWh or money of one meter over a period."""

    entity_description: MeterPeriodDescription
    _memo: tuple[HalfHourSeries, date, Totals] | None = None
    _unrecorded_attributes = frozenset(
        {"start", "end", "data_until", "complete", "unpriced_half_hours"}
    )

    def __init__(
        self,
        coordinator: OctopusVizCoordinator,
        description: MeterPeriodDescription,
        meter: MeterConfig,
    ) -> None:
        """Bind the description to its meter."""
        super().__init__(coordinator, description.key, meter)
        self.entity_description = description

    @property
    def _snapshot(self) -> MeterSnapshot | None:
        assert self.meter is not None
        return self.coordinator.data.meters.get(self.meter.mpan)

    def _totals(self) -> Totals | None:
        snapshot = self._snapshot
        if snapshot is None:
            return None
        start, end = period_dates(self.entity_description.period, local_today(dt_util.utcnow()))
        # A state write asks for the value and the attributes: compute once per data and day.
        memo = self._memo
        if memo is None or memo[0] is not snapshot.series or memo[1] != start:
            memo = self._memo = (snapshot.series, start, totals(snapshot.series, start, end))
        return memo[2]

    @property
    def available(self) -> bool:
        """Unavailable when updates fail or the newest reading is too old."""
        snapshot = self._snapshot
        return super().available and snapshot is not None and _fresh(snapshot.data_until)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """kWh, or the tariffs' currency."""
        if self.entity_description.money:
            snapshot = self._snapshot
            return snapshot.currency if snapshot else self.coordinator.data.currency
        return self.entity_description.native_unit_of_measurement

    @property
    def native_value(self) -> StateType:
        """The period's total."""
        result = self._totals()
        return None if result is None else self.entity_description.value_fn(result)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """The period and how far its data reaches."""
        result = self._totals()
        snapshot = self._snapshot
        if result is None or snapshot is None:
            return None
        return _period_attributes(
            result.start_date, result.end_date, snapshot.data_until, result.unpriced
        )


class AccountPeriodSensor(OctopusVizEntity, SensorEntity):
    """Standing charges or net cost of the account over a period."""

    entity_description: AccountPeriodDescription
    _memo: tuple[OctopusData, date, Summary] | None = None
    _unrecorded_attributes = MeterPeriodSensor._unrecorded_attributes

    def __init__(
        self, coordinator: OctopusVizCoordinator, description: AccountPeriodDescription
    ) -> None:
        """Account-level sensor."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    def _summary(self) -> Summary:
        start, end = period_dates(self.entity_description.period, local_today(dt_util.utcnow()))
        data, memo = self.coordinator.data, self._memo
        if memo is None or memo[0] is not data or memo[1] != start:
            memo = self._memo = (data, start, account_summary(data, start, end))
        return memo[2]

    @property
    def available(self) -> bool:
        """Unavailable when updates fail or no meter has fresh data."""
        meters = self.coordinator.data.meters.values()
        return super().available and any(_fresh(m.data_until) for m in meters)

    @property
    def native_unit_of_measurement(self) -> str:
        """The tariffs' currency."""
        return self.coordinator.data.currency

    @property
    def native_value(self) -> StateType:
        """The period's figure."""
        return self.entity_description.value_fn(self._summary())

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """The period and how far its data reaches."""
        result = self._summary()
        return _period_attributes(
            result.start_date,
            result.end_date,
            result.data_until,
            result.import_unpriced + result.export_unpriced,
        )


class RateSensor(OctopusVizEntity, SensorEntity):
    """Current rate, next rate, or when the rate next changes."""

    entity_description: RateDescription

    def __init__(
        self, coordinator: OctopusVizCoordinator, description: RateDescription, meter: MeterConfig
    ) -> None:
        """Bind to the meter whose tariffs are read."""
        super().__init__(coordinator, description.key, meter)
        self.entity_description = description

    @property
    def _source(self) -> PriceSource | None:
        assert self.meter is not None
        snapshot = self.coordinator.data.meters.get(self.meter.mpan)
        return None if snapshot is None else snapshot.source

    @property
    def available(self) -> bool:
        """Available once the meter's tariffs are known."""
        return super().available and self._source is not None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """currency/kWh for rates."""
        if not self.entity_description.is_rate:
            return None
        return f"{self.coordinator.data.currency}/{UnitOfEnergy.KILO_WATT_HOUR}"

    @property
    def native_value(self) -> StateType | datetime:
        """Read from the tariffs at this instant (updated every half hour)."""
        source = self._source
        if source is None:
            return None
        return self.entity_description.value_fn(source, dt_util.utcnow())


class DataUntilSensor(OctopusVizEntity, SensorEntity):
    """End of the newest half-hour received (data arrives a day late or more)."""

    _attr_translation_key = "data_until"
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: OctopusVizCoordinator, meter: MeterConfig) -> None:
        """Bind to the meter."""
        super().__init__(coordinator, "data_until", meter)

    @property
    def native_value(self) -> datetime | None:
        """The newest reading's end."""
        assert self.meter is not None
        snapshot = self.coordinator.data.meters.get(self.meter.mpan)
        return None if snapshot is None else snapshot.data_until
