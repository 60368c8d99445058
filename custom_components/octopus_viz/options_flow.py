"""Options flow: each meter's tariff source, custom tariffs, JSON import and settings.

A menu leads to one action; the action validates everything it would save (with the tariff
engine, see tariffs/options.py) and, only when all is well, ends the flow by saving the whole
options dict. A refused form shows the engine's message and saves nothing, so an error never
loses what was configured. Saving fires the entry's update listener, which re-prices the
cached history in place (`coordinator._async_options_updated`); nothing here talks to the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .api.models import CONF_DIRECTION
from .const import CONF_METERS, CONF_STANDING_CHARGES_IN_COST
from .options_calorific import CalorificValueStep
from .options_forms import MULTILINE, TARIFF_SCHEMA, tariff_fields, tariff_form_values
from .tariffs.candidates import DEFAULT_FAMILIES, Family
from .tariffs.keys import (
    CONF_COMPARE_FAMILIES,
    CONF_CUSTOM_TARIFFS,
    CONF_TARIFF_SOURCE,
    TARIFF_SOURCE_CUSTOM,
)
from .tariffs.options import (
    FollowedMeter,
    OptionsError,
    custom_meters,
    import_document,
    require_covered,
    save_tariff,
    source_choices,
    tariff_label,
)
from .tariffs.pricing_offer import PricingOffer, pricing_offer, sources_with

CONF_CUSTOM_METERS: Final = "custom_meters"
CONF_TARIFF: Final = "tariff"
CONF_DOCUMENT: Final = "document"
NOTHING: Final = "none"  # placeholder text for an empty list (never shown as a blank)


class OctopusVizOptionsFlow(CalorificValueStep):
    """Tariffs and settings of one Octopus account."""

    def __init__(self) -> None:
        """No tariff picked yet (`self.config_entry` is only available from the steps)."""
        self._editing: dict[str, Any] | None = None
        # Tariffs validated by add/import, waiting for the meters to price with them.
        self._pending: list[dict[str, Any]] = []
        self._offer: PricingOffer | None = None

    # -- what is configured now -------------------------------------------------------------

    @property
    def _meters(self) -> list[FollowedMeter]:
        return [FollowedMeter.from_config(raw) for raw in self.config_entry.data[CONF_METERS]]

    def _sources(self) -> dict[str, str]:
        return dict(self.config_entry.options.get(CONF_TARIFF_SOURCE, {}))

    def _tariffs(self) -> list[dict[str, Any]]:
        # Deep copies: the entry's options must not change before (or unless) we save.
        return deepcopy(list(self.config_entry.options.get(CONF_CUSTOM_TARIFFS, [])))

    def _save(self, changes: Mapping[str, Any]) -> ConfigFlowResult:
        """End the flow with the current options plus `changes` (other keys kept as they are)."""
        options = deepcopy(dict(self.config_entry.options))
        options.update(changes)
        return self.async_create_entry(data=options)

    def _meter_select(self, meters: list[FollowedMeter]) -> probatio.Schema:
        options = [SelectOptionDict(value=m.mpan, label=m.label) for m in meters]
        return probatio.Schema(
            {
                probatio.Optional(CONF_CUSTOM_METERS): SelectSelector(
                    SelectSelectorConfig(
                        options=options, multiple=True, mode=SelectSelectorMode.LIST
                    )
                )
            }
        )

    def _tariff_picker(self, tariffs: list[dict[str, Any]]) -> probatio.Schema:
        options = [SelectOptionDict(value=raw["name"], label=tariff_label(raw)) for raw in tariffs]
        return probatio.Schema(
            {
                probatio.Required(CONF_TARIFF): SelectSelector(
                    SelectSelectorConfig(options=options, mode=SelectSelectorMode.LIST)
                )
            }
        )

    # -- menu -------------------------------------------------------------------------------

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The menu, in the order a user works: a tariff first, then which meters it prices.

        The source, editing and removing are offered only when there is something to choose.
        """
        tariffs = self._tariffs()
        menu = ["add_tariff", "import_json"]
        if source_choices(self._meters, self._sources(), tariffs):
            menu.append("tariff_source")
        if tariffs:
            menu += ["edit_tariff", "remove_tariff"]
        menu.append("compare")
        if self._volume_meters:
            menu.append("calorific_value")
        menu.append("settings")
        custom = custom_meters(self._meters, self._sources())
        return self.async_show_menu(
            step_id="init",
            menu_options=menu,
            description_placeholders={
                "custom_meters": ", ".join(custom) or NOTHING,
                "tariffs": ", ".join(tariff_label(raw) for raw in tariffs) or NOTHING,
            },
        )

    # -- tariff source ----------------------------------------------------------------------

    async def async_step_tariff_source(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the meters priced by custom tariffs; the others use the account's tariffs.

        Only meters a custom tariff can price are offered (and those priced by custom tariffs
        now, to switch them back), so the form cannot be filled in a way it must refuse.
        """
        meters, tariffs = self._meters, self._tariffs()
        choices = source_choices(meters, self._sources(), tariffs)  # not empty: see the menu
        errors: dict[str, str] = {}
        details = ""
        selected = custom_meters(meters, self._sources())
        if user_input is not None:
            selected = list(user_input.get(CONF_CUSTOM_METERS, []))
            sources = sources_with(self._sources(), choices, selected)
            try:
                require_covered(meters, sources, tariffs, ("no_custom_tariff", "base"))
            except OptionsError as err:
                errors[err.field], details = err.key, err.details
            else:
                return self._save({CONF_TARIFF_SOURCE: sources})
        return self.async_show_form(
            step_id="tariff_source",
            data_schema=self.add_suggested_values_to_schema(
                self._meter_select(choices), {CONF_CUSTOM_METERS: selected}
            ),
            errors=errors,
            description_placeholders={"details": details},
        )

    # -- pricing meters with new tariffs ----------------------------------------------------

    def _offer_pricing(
        self,
        tariffs: list[dict[str, Any]],
        added: list[dict[str, Any]],
        named: list[str] | None = None,
    ) -> ConfigFlowResult:
        """Save `tariffs` (with `added` among them), first asking which meters of the added
        tariffs' directions they price, when some meter is not priced by custom tariffs yet."""
        offer = pricing_offer(self._meters, self._sources(), self._tariffs(), added, named or [])
        if not offer.worth_asking:
            return self._save({CONF_CUSTOM_TARIFFS: tariffs})
        self._pending, self._offer = tariffs, offer
        return self._show_price_meters(offer.preselected)

    def _show_price_meters(self, selected: list[str]) -> ConfigFlowResult:
        assert self._offer is not None
        return self.async_show_form(
            step_id="price_meters",
            data_schema=self.add_suggested_values_to_schema(
                self._meter_select(self._offer.meters), {CONF_CUSTOM_METERS: selected}
            ),
            description_placeholders={
                "tariffs": ", ".join(tariff_label(raw) for raw in self._pending)
            },
        )

    async def async_step_price_meters(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One confirmation: the new tariffs and the meters they price are saved together."""
        if self._offer is None:  # only reached from add/import
            return self.async_abort(reason="no_custom_tariffs")
        if user_input is None:
            return self._show_price_meters(self._offer.preselected)
        chosen = list(user_input.get(CONF_CUSTOM_METERS, []))
        sources = self._offer.sources(self._sources(), chosen)
        return self._save({CONF_CUSTOM_TARIFFS: self._pending, CONF_TARIFF_SOURCE: sources})

    # -- add / edit a tariff ----------------------------------------------------------------

    async def async_step_add_tariff(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new custom tariff."""
        return self._tariff_form("add_tariff", user_input, None)

    async def async_step_edit_tariff(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the custom tariff to edit."""
        tariffs = self._tariffs()
        if not tariffs:
            return self.async_abort(reason="no_custom_tariffs")
        if user_input is not None:
            # Names are unique; a name may have gone if another window removed it meanwhile.
            picked = user_input[CONF_TARIFF]
            self._editing = next((raw for raw in tariffs if raw["name"] == picked), None)
            if self._editing is None:
                return self.async_abort(reason="no_custom_tariffs")
            return await self.async_step_edit_tariff_details()
        return self.async_show_form(step_id="edit_tariff", data_schema=self._tariff_picker(tariffs))

    async def async_step_edit_tariff_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The picked tariff's form, prefilled."""
        return self._tariff_form("edit_tariff_details", user_input, self._editing)

    def _tariff_form(
        self, step_id: str, user_input: dict[str, Any] | None, editing: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Show, validate and save the add/edit form (`editing` is the stored tariff or None)."""
        errors: dict[str, str] = {}
        details = ""
        if user_input is not None:
            try:
                tariffs = save_tariff(
                    tariff_fields(user_input, editing),
                    self._tariffs(),
                    None if editing is None else editing["name"],
                )
                # A direction change may leave a custom-priced meter without any tariff.
                require_covered(
                    self._meters, self._sources(), tariffs, ("tariff_in_use", CONF_DIRECTION)
                )
            except OptionsError as err:
                errors[err.field], details = err.key, err.details
            else:
                if editing is None:
                    added = [raw for raw in tariffs if raw["name"] == user_input[CONF_NAME].strip()]
                    return self._offer_pricing(tariffs, added)
                return self._save({CONF_CUSTOM_TARIFFS: tariffs})
        suggested = user_input if user_input is not None else tariff_form_values(editing)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(TARIFF_SCHEMA, suggested),
            errors=errors,
            description_placeholders={
                "details": details,
                "tariff": NOTHING if editing is None else str(editing["name"]),
            },
        )

    # -- remove a tariff --------------------------------------------------------------------

    async def async_step_remove_tariff(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove a custom tariff unless a custom-priced meter would be left without one."""
        tariffs = self._tariffs()
        if not tariffs:
            return self.async_abort(reason="no_custom_tariffs")
        errors: dict[str, str] = {}
        details = ""
        if user_input is not None:
            remaining = [raw for raw in tariffs if raw["name"] != user_input[CONF_TARIFF]]
            try:
                require_covered(self._meters, self._sources(), remaining, ("tariff_in_use", "base"))
            except OptionsError as err:
                errors[err.field], details = err.key, err.details
            else:
                return self._save({CONF_CUSTOM_TARIFFS: remaining})
        return self.async_show_form(
            step_id="remove_tariff",
            data_schema=self._tariff_picker(tariffs),
            errors=errors,
            description_placeholders={"details": details},
        )

    # -- JSON import ------------------------------------------------------------------------

    async def async_step_import_json(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Replace the custom tariffs with a pasted document's, then offer to price meters
        with them (the followed meters the document names are preselected)."""
        errors: dict[str, str] = {}
        details = ""
        if user_input is not None:
            meters = self._meters
            try:
                result = import_document(user_input[CONF_DOCUMENT], meters)
                # Meters priced by custom tariffs now, and those the document names, must
                # find a tariff of their direction in it.
                named = dict.fromkeys(result.mpans, TARIFF_SOURCE_CUSTOM)
                require_covered(
                    meters,
                    {**self._sources(), **named},
                    result.tariffs,
                    ("no_custom_tariff", CONF_DOCUMENT),
                )
            except OptionsError as err:
                errors[err.field], details = err.key, err.details
            else:
                # Only tariffs and sources are stored: the document's api_key and serials
                # are never copied into the entry.
                return self._offer_pricing(result.tariffs, result.tariffs, result.mpans)
        schema = probatio.Schema({probatio.Required(CONF_DOCUMENT): MULTILINE})
        tariffs = self._tariffs()
        return self.async_show_form(
            step_id="import_json",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders={
                "details": details,
                "replaced": ", ".join(tariff_label(raw) for raw in tariffs) or NOTHING,
            },
        )

    # -- tariff comparison ------------------------------------------------------------------

    async def async_step_compare(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which product families the tariff comparison prices (a sensible set preselected)."""
        if user_input is not None:
            return self._save({CONF_COMPARE_FAMILIES: list(user_input[CONF_COMPARE_FAMILIES])})
        current = self.config_entry.options.get(
            CONF_COMPARE_FAMILIES, [str(family) for family in DEFAULT_FAMILIES]
        )
        selector = SelectSelector(
            SelectSelectorConfig(
                options=[str(family) for family in Family],
                multiple=True,
                mode=SelectSelectorMode.LIST,
                translation_key="compare_family",
            )
        )
        schema = probatio.Schema(
            {probatio.Required(CONF_COMPARE_FAMILIES, default=list(current)): selector}
        )
        return self.async_show_form(step_id="compare", data_schema=schema)

    # -- settings ---------------------------------------------------------------------------

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Whether each day's standing charge is added to the cost statistic."""
        if user_input is not None:
            include = bool(user_input[CONF_STANDING_CHARGES_IN_COST])
            return self._save({CONF_STANDING_CHARGES_IN_COST: include})
        current = bool(self.config_entry.options.get(CONF_STANDING_CHARGES_IN_COST, False))
        schema = probatio.Schema(
            {probatio.Required(CONF_STANDING_CHARGES_IN_COST, default=current): BooleanSelector()}
        )
        return self.async_show_form(step_id="settings", data_schema=schema)
