"""Keys of a config entry that the tariff logic reads (each meter's source, custom tariffs)."""

from __future__ import annotations

from typing import Final

CONF_TARIFF_SOURCE: Final = "tariff_source"
CONF_CUSTOM_TARIFFS: Final = "custom_tariffs"
CONF_COMPARE_FAMILIES: Final = "compare_families"  # product families a comparison prices

TARIFF_SOURCE_ACCOUNT: Final = "account"
TARIFF_SOURCE_CUSTOM: Final = "custom"
