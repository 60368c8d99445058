"""Base entity: one device per followed meter, plus one for the account."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.models import MeterConfig
from .const import CONF_ACCOUNT_NUMBER, DOMAIN
from .coordinator import OctopusVizCoordinator


class OctopusVizEntity(CoordinatorEntity[OctopusVizCoordinator]):
    """An entity of an account (meter is None) or of one of its meters."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: OctopusVizCoordinator, key: str, meter: MeterConfig | None = None
    ) -> None:
        """Unique id from the entry, the meter and the description key."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        account = entry.data[CONF_ACCOUNT_NUMBER]
        self.meter = meter
        if meter is None:
            self._attr_unique_id = f"{entry.entry_id}_{key}"
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, entry.entry_id)},
                entry_type=DeviceEntryType.SERVICE,
                manufacturer="Octopus Energy",
                model="Account",
                translation_key="account",
                translation_placeholders={"account": account},
            )
        else:
            self._attr_unique_id = f"{entry.entry_id}_{meter.mpan}_{key}"
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, f"{entry.entry_id}_{meter.mpan}")},
                entry_type=DeviceEntryType.SERVICE,
                manufacturer="Octopus Energy",
                model=f"Electricity {meter.direction.value} meter",
                serial_number=meter.serial,
                translation_key=f"{meter.direction.value}_meter",
                translation_placeholders={"mpan": meter.mpan},
            )
