"""The options step for gas calorific values (a base of the options flow, kept apart).

A meter reporting m³ is converted to kWh with the calorific values of its UK local days
(tariffs/calorific.py). The form takes one line per range (`39.2`, `2025-04-01 39.2` or
`2025-04-01 2025-07-01 39.2`) for the chosen gas meter; a value outside 30-50 MJ/m³ or a line
that is not a range is refused with a translated error, and nothing is saved. Saving fires the
update listener, which converts the cached m³ again and rewrites the energy and cost
statistics from the first affected hour, with no request.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import probatio

from .api.models import MeterConfig
from .const import CONF_METERS
from .tariffs.calorific import (
    CONF_CALORIFIC_VALUES,
    DEFAULT_CALORIFIC_VALUE,
    calorific_text,
    calorific_values_for,
    parse_calorific_text,
)
from .tariffs.model import TariffConfigError

CONF_METER: Final = "meter"


class CalorificValueStep(OptionsFlow):
    """The `calorific_value` step (offered when a followed gas meter reports m³)."""

    @property
    def _volume_meters(self) -> list[MeterConfig]:
        meters = (MeterConfig.from_config(raw) for raw in self.config_entry.data[CONF_METERS])
        return [meter for meter in meters if meter.is_gas and meter.reports_volume]

    async def async_step_calorific_value(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show, check and save one gas meter's calorific values."""
        meters = self._volume_meters
        if not meters:
            return self.async_abort(reason="no_gas_volume_meter")
        options = self.config_entry.options
        errors: dict[str, str] = {}
        details = ""
        chosen = meters[0].mpan
        text = calorific_text(calorific_values_for(options, chosen))
        if user_input is not None:
            chosen = str(user_input.get(CONF_METER, chosen))
            text = str(user_input.get(CONF_CALORIFIC_VALUES, ""))
            try:
                values = parse_calorific_text(text)
            except TariffConfigError as err:
                errors[CONF_CALORIFIC_VALUES] = err.translation_key
                details = str(err)
            else:
                saved = deepcopy(dict(options))
                by_meter = dict(saved.get(CONF_CALORIFIC_VALUES, {}))
                by_meter[chosen] = values.as_list()
                saved[CONF_CALORIFIC_VALUES] = by_meter
                return self.async_create_entry(data=saved)
        schema = probatio.Schema(
            {
                probatio.Required(CONF_METER): SelectSelector(
                    SelectSelectorConfig(
                        options=[SelectOptionDict(value=m.mpan, label=m.mpan) for m in meters],
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                probatio.Optional(CONF_CALORIFIC_VALUES): TextSelector(
                    TextSelectorConfig(multiline=True)
                ),
            }
        )
        return self.async_show_form(
            step_id="calorific_value",
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_METER: chosen, CONF_CALORIFIC_VALUES: text}
            ),
            errors=errors,
            description_placeholders={
                "details": details,
                "default": str(DEFAULT_CALORIFIC_VALUE),
            },
        )
