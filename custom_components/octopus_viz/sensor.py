"""Sensors: period totals per meter and for the account, current/next rates, data freshness.

Period totals have no state_class on purpose: they reset every period and are not meters, and
without a state class they create no statistics, so they never appear in the Energy
dashboard's pickers next to the integration's external statistics (which are what the
dashboard should use).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorEntity,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.local_time import local_today
from .api.models import MeterConfig
from .compare_sensor import CheapestTariffSensor
from .coordinator import OctopusVizConfigEntry, OctopusVizCoordinator
from .entity import AccountEntity, MeterEntity
from .history.aggregation import Summary, Totals, totals
from .history.periods import period_bounds, period_dates
from .history.queries import account_summary
from .history.series import HalfHourSeries
from .history.snapshot import OctopusData
from .sensor_descriptions import (
    ACCOUNT_DESCRIPTIONS,
    METER_PERIOD_DESCRIPTIONS,
    RATE_DESCRIPTIONS,
    STATE_DESCRIPTIONS,
    AccountPeriodDescription,
    MeterPeriodDescription,
    MeterStateDescription,
    RateDescription,
)
from .tariffs.timeline import Timeline

PARALLEL_UPDATES = 0  # coordinator-driven: nothing is polled per entity
STALE_AFTER = timedelta(days=7)  # no new reading for this long: totals are unavailable


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
    entities.append(CheapestTariffSensor(hass, coordinator))
    for meter in coordinator.meters:
        entities.extend(
            MeterPeriodSensor(coordinator, description, meter)
            for description in METER_PERIOD_DESCRIPTIONS
            if description.exists_fn(meter)
        )
        entities.extend(
            RateSensor(coordinator, description, meter)
            for description in RATE_DESCRIPTIONS
            if description.exists_fn(meter)
        )
        entities.extend(
            MeterStateSensor(coordinator, description, meter) for description in STATE_DESCRIPTIONS
        )
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


class MeterPeriodSensor(MeterEntity, SensorEntity):
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

    def _totals(self) -> Totals | None:
        snapshot = self.snapshot
        series = None if snapshot is None else self.entity_description.series_fn(snapshot)
        if series is None:
            return None
        start, end = period_dates(self.entity_description.period, local_today(dt_util.utcnow()))
        # A state write asks for the value and the attributes: compute once per data and day.
        memo = self._memo
        if memo is None or memo[0] is not series or memo[1] != start:
            memo = self._memo = (series, start, totals(series, start, end))
        return memo[2]

    @property
    def available(self) -> bool:
        """Unavailable when updates fail or the newest reading is too old."""
        snapshot = self.snapshot
        return super().available and snapshot is not None and _fresh(snapshot.data_until)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """kWh, or the tariffs' currency."""
        snapshot = self.snapshot
        currency = snapshot.currency if snapshot else self.coordinator.data.currency
        return self.entity_description.unit_fn(currency)

    @property
    def native_value(self) -> StateType:
        """The period's total."""
        result = self._totals()
        return None if result is None else self.entity_description.value_fn(result)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """The period and how far its data reaches."""
        result = self._totals()
        snapshot = self.snapshot
        if result is None or snapshot is None:
            return None
        return _period_attributes(
            result.start_date, result.end_date, snapshot.data_until, result.unpriced
        )


class AccountPeriodSensor(AccountEntity, SensorEntity):
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
            result.import_unpriced + result.export_unpriced + result.gas_unpriced,
        )


class RateSensor(MeterEntity, SensorEntity):
    """Current rate, next rate, or when the rate next changes."""

    entity_description: RateDescription

    def __init__(
        self, coordinator: OctopusVizCoordinator, description: RateDescription, meter: MeterConfig
    ) -> None:
        """Bind to the meter whose tariffs are read."""
        super().__init__(coordinator, description.key, meter)
        self.entity_description = description

    @property
    def _timeline(self) -> Timeline | None:
        snapshot = self.snapshot
        return None if snapshot is None else snapshot.timeline

    @property
    def available(self) -> bool:
        """Available once the meter's tariffs are known."""
        return super().available and self._timeline is not None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """currency/kWh for rates, none for the time of the next change."""
        return self.entity_description.unit_fn(self.coordinator.data.currency)

    @property
    def native_value(self) -> StateType | datetime:
        """Read from the tariffs at this instant (updated every half hour)."""
        timeline = self._timeline
        if timeline is None:
            return None
        return self.entity_description.value_fn(timeline, dt_util.utcnow())


class MeterStateSensor(MeterEntity, SensorEntity):
    """How far the meter's data reaches (data arrives a day late or more)."""

    entity_description: MeterStateDescription

    def __init__(
        self,
        coordinator: OctopusVizCoordinator,
        description: MeterStateDescription,
        meter: MeterConfig,
    ) -> None:
        """Bind to the meter."""
        super().__init__(coordinator, description.key, meter)
        self.entity_description = description

    @property
    def native_value(self) -> datetime | None:
        """The newest reading's end."""
        snapshot = self.snapshot
        return None if snapshot is None else self.entity_description.value_fn(snapshot)
