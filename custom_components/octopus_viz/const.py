"""Constants of the Home Assistant layer: the domain and the config entry's own keys.

Keys that pure code reads live with it (meter keys in `api.models`, tariff-source keys in
`tariffs.keys`, the client's URL and version in `api.const`), so no subpackage imports the root.
"""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "octopus_viz"

CONF_ACCOUNT_NUMBER: Final = "account_number"
CONF_METERS: Final = "meters"
CONF_HISTORY_FROM: Final = "history_from"
CONF_STANDING_CHARGES_IN_COST: Final = "standing_charges_in_cost"
