"""What each sensor shows: one description class per kind, with `value_fn`/`unit_fn`/`exists_fn`.

The entity classes in sensor.py only call these functions, so a new figure is a new description
here, not a new branch in an entity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import SensorDeviceClass, SensorEntityDescription
from homeassistant.const import EntityCategory, UnitOfEnergy, UnitOfVolume
from homeassistant.helpers.typing import StateType

from .api.local_time import local_today
from .api.models import Direction, MeterConfig
from .history.aggregation import Summary, Totals
from .history.periods import PeriodKind
from .history.series import HalfHourSeries
from .history.snapshot import MeterSnapshot
from .tariffs.timeline import Timeline

PERIODS = (
    PeriodKind.YESTERDAY,
    PeriodKind.THIS_WEEK,
    PeriodKind.LAST_WEEK,
    PeriodKind.THIS_MONTH,
    PeriodKind.LAST_MONTH,
    PeriodKind.THIS_YEAR,
)
ENABLED_PERIODS = frozenset({PeriodKind.YESTERDAY, PeriodKind.THIS_WEEK, PeriodKind.THIS_MONTH})


def _any_meter(_meter: MeterConfig) -> bool:
    return True


def _no_unit(_currency: str) -> str | None:
    return None


def _currency(currency: str) -> str | None:
    return currency


def _per_kwh(currency: str) -> str | None:
    return f"{currency}/{UnitOfEnergy.KILO_WATT_HOUR}"


def _is_direction(direction: Direction) -> Callable[[MeterConfig], bool]:
    return lambda meter: meter.direction is direction


def _reports_volume(meter: MeterConfig) -> bool:
    return meter.reports_volume


def _is_gas(meter: MeterConfig) -> bool:
    return meter.is_gas


def _kwh_series(snapshot: MeterSnapshot) -> HalfHourSeries | None:
    return snapshot.series


def _volume_series(snapshot: MeterSnapshot) -> HalfHourSeries | None:
    return snapshot.volume


@dataclass(frozen=True, kw_only=True)
class MeterPeriodDescription(SensorEntityDescription):
    """A total of one meter over a named period (energy, cost or revenue)."""

    period: PeriodKind
    value_fn: Callable[[Totals], StateType]
    unit_fn: Callable[[str], str | None]  # from the tariffs' currency
    exists_fn: Callable[[MeterConfig], bool] = _any_meter
    # The half-hours totalled: kWh (and money) for every meter, m³ for gas reporting them.
    series_fn: Callable[[MeterSnapshot], HalfHourSeries | None] = _kwh_series


@dataclass(frozen=True, kw_only=True)
class AccountPeriodDescription(SensorEntityDescription):
    """A figure of the whole account over a named period (always money)."""

    period: PeriodKind
    value_fn: Callable[[Summary], StateType]


@dataclass(frozen=True, kw_only=True)
class RateDescription(SensorEntityDescription):
    """A figure of a meter's tariffs at an instant."""

    value_fn: Callable[[Timeline, datetime], StateType | datetime]
    unit_fn: Callable[[str], str | None]
    exists_fn: Callable[[MeterConfig], bool] = _any_meter


@dataclass(frozen=True, kw_only=True)
class MeterStateDescription(SensorEntityDescription):
    """A figure of a meter's data itself (how far it reaches)."""

    value_fn: Callable[[MeterSnapshot], datetime | None]


def _money_descriptions(key: str, direction: Direction) -> tuple[MeterPeriodDescription, ...]:
    return tuple(
        MeterPeriodDescription(
            key=f"{key}_{period}",
            translation_key=f"{key}_{period}",
            device_class=SensorDeviceClass.MONETARY,
            suggested_display_precision=2,
            entity_registry_enabled_default=period in ENABLED_PERIODS,
            period=period,
            value_fn=lambda t: float(t.value),
            unit_fn=_currency,
            exists_fn=_is_direction(direction),
        )
        for period in PERIODS
    )


def _quantity_descriptions(
    key: str,
    device_class: SensorDeviceClass,
    unit: str,
    exists_fn: Callable[[MeterConfig], bool] = _any_meter,
    series_fn: Callable[[MeterSnapshot], HalfHourSeries | None] = _kwh_series,
) -> tuple[MeterPeriodDescription, ...]:
    """kWh of every meter, or m³ of a gas meter reporting them (the series' quantity)."""
    return tuple(
        MeterPeriodDescription(
            key=f"{key}_{period}",
            translation_key=f"{key}_{period}",
            device_class=device_class,
            native_unit_of_measurement=unit,
            suggested_display_precision=2,
            entity_registry_enabled_default=period in ENABLED_PERIODS,
            period=period,
            value_fn=lambda t: round(t.kwh, 3),
            unit_fn=lambda _currency: unit,
            exists_fn=exists_fn,
            series_fn=series_fn,
        )
        for period in PERIODS
    )


METER_PERIOD_DESCRIPTIONS: tuple[MeterPeriodDescription, ...] = (
    *_quantity_descriptions("energy", SensorDeviceClass.ENERGY, UnitOfEnergy.KILO_WATT_HOUR),
    *_money_descriptions("cost", Direction.IMPORT),
    *_money_descriptions("revenue", Direction.EXPORT),
    *_quantity_descriptions(
        "volume",
        SensorDeviceClass.GAS,
        UnitOfVolume.CUBIC_METERS,
        exists_fn=_reports_volume,
        series_fn=_volume_series,
    ),
)

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


def _next_change_time(timeline: Timeline, now: datetime) -> datetime | None:
    change = timeline.next_change(now)
    return None if change is None else change[0]


def _next_rate(timeline: Timeline, now: datetime) -> StateType:
    change = timeline.next_change(now)
    return None if change is None or change[1] is None else float(change[1])


def _current_rate(timeline: Timeline, now: datetime) -> StateType:
    rate = timeline.rate_at(now)
    return None if rate is None else float(rate)


def _standing_today(timeline: Timeline, now: datetime) -> StateType:
    charge = timeline.standing_charge_for_day(local_today(now))
    return None if charge is None else float(charge)


RATE_DESCRIPTIONS: tuple[RateDescription, ...] = (
    RateDescription(
        key="current_rate",
        translation_key="current_rate",
        value_fn=_current_rate,
        unit_fn=_per_kwh,
        suggested_display_precision=4,
    ),
    RateDescription(
        key="next_rate",
        translation_key="next_rate",
        value_fn=_next_rate,
        unit_fn=_per_kwh,
        suggested_display_precision=4,
    ),
    RateDescription(
        key="standing_charge",
        translation_key="standing_charge",
        device_class=SensorDeviceClass.MONETARY,
        value_fn=_standing_today,
        unit_fn=_currency,
        suggested_display_precision=4,
        exists_fn=_is_gas,
    ),
    RateDescription(
        key="next_rate_change",
        translation_key="next_rate_change",
        device_class=SensorDeviceClass.TIMESTAMP,
        # The logbook lists every state change of a sensor without a unit, state class or
        # numeric device class (a timestamp is none of these): on Agile this one would write
        # an entry every half hour. Off by default; "Next rate" (with a unit) is not listed.
        entity_registry_enabled_default=False,
        value_fn=_next_change_time,
        unit_fn=_no_unit,
    ),
)

STATE_DESCRIPTIONS: tuple[MeterStateDescription, ...] = (
    MeterStateDescription(
        key="data_until",
        translation_key="data_until",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda snapshot: snapshot.data_until,
    ),
)
