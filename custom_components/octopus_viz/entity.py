"""Base entities: one device for the account, one per followed meter."""

from __future__ import annotations

from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.models import MeterConfig
from .const import CONF_ACCOUNT_NUMBER, DOMAIN
from .coordinator import OctopusVizCoordinator
from .history.snapshot import MeterSnapshot


class OctopusVizEntity(CoordinatorEntity[OctopusVizCoordinator]):
    """Any entity of the integration: named by its translation key under its device."""

    _attr_has_entity_name = True


class AccountEntity(OctopusVizEntity):
    """An entity of the whole account (its device stands for the account)."""

    def __init__(self, coordinator: OctopusVizCoordinator, key: str) -> None:
        """Unique id from the entry and the description key."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer="Octopus Energy",
            model="Account",
            translation_key="account",
            translation_placeholders={"account": entry.data[CONF_ACCOUNT_NUMBER]},
        )


class MeterEntity(OctopusVizEntity):
    """An entity of one followed meter (its device is the meter)."""

    def __init__(self, coordinator: OctopusVizCoordinator, key: str, meter: MeterConfig) -> None:
        """Unique id from the entry, the meter and the description key."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.meter = meter
        self._attr_unique_id = f"{entry.entry_id}_{meter.mpan}_{key}"
        # The device is named "Octopus import meter {mpan}" so pickers find it by "Octopus";
        # the entity id keeps the form it had under the former name "Import meter {mpan}"
        # (existing entities keep theirs anyway: the registry holds them by unique id).
        self.entity_id = f"{SENSOR_DOMAIN}.{meter.direction.value}_meter_{meter.mpan}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{entry.entry_id}_{meter.mpan}")},
            # A physical meter, not a service: the integration's page counts it as a device.
            manufacturer="Octopus Energy",
            model="Gas meter" if meter.is_gas else f"Electricity {meter.direction.value} meter",
            serial_number=meter.serial,
            translation_key=f"{meter.flow}_meter",
            translation_placeholders={"mpan": meter.mpan},
        )

    @property
    def snapshot(self) -> MeterSnapshot | None:
        """The meter's data as of the last update (None before its first one)."""
        return self.coordinator.data.meters.get(self.meter.mpan)
