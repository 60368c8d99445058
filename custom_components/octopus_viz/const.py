"""Constants for octopus_viz (plain values only: pure modules import this too)."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "octopus_viz"
VERSION: Final = "0.1.0"  # kept equal to manifest.json's version (a test checks)

DEFAULT_API_URL: Final = "https://api.octopus.energy"
# Points the client at another server (the project's fake API in development and tests).
ENV_API_URL: Final = "OCTOPUS_VIZ_API_URL"

CONF_ACCOUNT_NUMBER: Final = "account_number"
CONF_METERS: Final = "meters"
CONF_MPAN: Final = "mpan"
CONF_SERIAL: Final = "serial"
CONF_DIRECTION: Final = "direction"
CONF_TARIFF_SOURCE: Final = "tariff_source"
CONF_CUSTOM_TARIFFS: Final = "custom_tariffs"
CONF_HISTORY_FROM: Final = "history_from"
CONF_STANDING_CHARGES_IN_COST: Final = "standing_charges_in_cost"

TARIFF_SOURCE_ACCOUNT: Final = "account"
TARIFF_SOURCE_CUSTOM: Final = "custom"

LOCAL_TZ_NAME: Final = "Europe/London"
HALF_HOUR_SECONDS: Final = 1800
