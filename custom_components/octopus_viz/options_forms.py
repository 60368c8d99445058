"""The add/edit tariff form of the options flow: its schema and the conversions both ways.

The form's values go to the pure tariff logic (tariffs/options.py) as TariffFields; a stored
tariff comes back as the form's prefilled values. Kept apart from the flow's steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    DateSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import probatio

from .api.models import CONF_DIRECTION, Direction, Fuel
from .tariffs import UNIT_TO_FLOW, flow_label
from .tariffs.options import TariffFields, bands_text, keep_instant, local_day

CONF_CURRENCY: Final = "currency"
CONF_VALID_FROM: Final = "valid_from"
CONF_VALID_UNTIL: Final = "valid_until"
CONF_STANDING_CHARGE: Final = "standing_charge"
CONF_BANDS: Final = "bands"

DEFAULT_CURRENCY: Final = "GBP"
MULTILINE: Final = TextSelector(TextSelectorConfig(multiline=True))

# Import, export or gas (an import of the gas fuel), as radio buttons: what a tariff prices,
# and the config flow's meter entered by hand.
DIRECTION_SELECTOR: Final = SelectSelector(
    SelectSelectorConfig(
        options=[*(d.value for d in Direction), Fuel.GAS.value],
        translation_key=CONF_DIRECTION,
        mode=SelectSelectorMode.LIST,
    )
)

TARIFF_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(CONF_NAME): TextSelector(),
        probatio.Required(CONF_DIRECTION, default=Direction.IMPORT.value): DIRECTION_SELECTOR,
        probatio.Required(CONF_CURRENCY, default=DEFAULT_CURRENCY): TextSelector(),
        probatio.Optional(CONF_VALID_FROM): DateSelector(),
        probatio.Optional(CONF_VALID_UNTIL): DateSelector(),
        probatio.Optional(CONF_STANDING_CHARGE): NumberSelector(
            NumberSelectorConfig(min=0, step="any", mode=NumberSelectorMode.BOX)
        ),
        probatio.Required(CONF_BANDS): MULTILINE,
    }
)


def tariff_fields(user_input: Mapping[str, Any], editing: Mapping[str, Any] | None) -> TariffFields:
    """The submitted form as TariffFields; an untouched day keeps the stored instant."""
    stored = editing or {}
    gas = user_input[CONF_DIRECTION] == Fuel.GAS.value
    return TariffFields(
        name=str(user_input[CONF_NAME]),
        direction=Direction.IMPORT if gas else Direction(user_input[CONF_DIRECTION]),
        fuel=Fuel.GAS if gas else Fuel.ELECTRICITY,
        currency=str(user_input.get(CONF_CURRENCY, DEFAULT_CURRENCY)),
        bands=str(user_input[CONF_BANDS]),
        valid_from=keep_instant(user_input.get(CONF_VALID_FROM), stored.get("valid_from")),
        valid_until=keep_instant(user_input.get(CONF_VALID_UNTIL), stored.get("valid_until")),
        standing_charge=user_input.get(CONF_STANDING_CHARGE),
    )


def tariff_form_values(editing: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored tariff as the form's values (empty for a new tariff: defaults apply)."""
    if editing is None:
        return {}
    values: dict[str, Any] = {
        CONF_NAME: editing["name"],
        CONF_DIRECTION: flow_label(*UNIT_TO_FLOW[editing["unit"]]),
        CONF_CURRENCY: editing.get("currency", DEFAULT_CURRENCY),
        CONF_VALID_FROM: local_day(editing.get("valid_from")),
        CONF_VALID_UNTIL: local_day(editing.get("valid_until")),
        CONF_BANDS: bands_text(editing),
    }
    if editing.get("standing_charge") is not None:
        values[CONF_STANDING_CHARGE] = float(editing["standing_charge"])
    return {key: value for key, value in values.items() if value is not None}
