"""Config flow: API key + account, then the meters to follow; reauth and reconfigure.

What the entry holds, and why there:

* ``entry.data`` = ``{CONF_API_KEY, CONF_ACCOUNT_NUMBER, CONF_METERS, CONF_HISTORY_FROM}``.
  ``CONF_METERS`` is a list of ``{"mpan": str, "serial": str, "direction": "import"|"export"}``
  (``MeterConfig.as_config``); a gas meter adds ``"fuel": "gas"`` and ``"unit": "m3"|"kwh"``,
  its MPRN in "mpan", direction "import";
  ``CONF_HISTORY_FROM`` is an ISO date (UK local day) or None for "all the API has". The form
  asks an explicit choice (all / from the earliest agreement / from a date, see
  ``HISTORY_*``) that is stored in that same form, so entries made before it keep working.
  The meters and the history start say *what* the entry is about; they are changed through the
  reconfigure flow (which re-runs discovery), so they live in ``data`` like the credentials.
* ``entry.options`` is left empty for the options flow (tariffs and display settings).

The account number is the unique id. Nothing is saved before the API accepted the key for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
import logging
import re
from typing import Any, override

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_API_KEY
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    DateSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import dt as dt_util
import probatio

from .api.client import OctopusClient
from .api.errors import OctopusAuthError, OctopusError, OctopusNotFoundError
from .api.models import (
    CONF_DIRECTION,
    CONF_MPAN,
    CONF_SERIAL,
    CONF_UNIT,
    Account,
    Direction,
    Fuel,
    ReadingUnit,
)
from .config_fields import (
    CONF_GAS_UNIT,
    CONF_HISTORY,
    GAS,
    HISTORY_ALL,
    HISTORY_DATE,
    UNIT_SELECTOR,
    history_choice,
    history_selector,
    natural,
)
from .const import CONF_ACCOUNT_NUMBER, CONF_HISTORY_FROM, CONF_METERS, DOMAIN
from .discovery import (
    MPAN_RE,
    MPRN_RE,
    SERIAL_RE,
    MeterChoice,
    default_history_from,
    discover_meters,
    has_readings,
    normalise_account_number,
)
from .options_flow import OctopusVizOptionsFlow
from .options_forms import DIRECTION_SELECTOR

_LOGGER = logging.getLogger(__name__)

CONF_ADD_MANUAL = "add_manual"
CONF_ADD_ANOTHER = "add_another"


class OctopusVizConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one Octopus account."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known."""
        self._api_key = ""
        self._account_number = ""
        self._choices: list[MeterChoice] = []
        self._preselected: set[str] = set()
        self._history_from: str | None = None
        self._agreement_start: str | None = None
        self._add_manual = False
        self._meters: list[MeterChoice] = []

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OctopusVizOptionsFlow:
        """Tariffs and settings."""
        return OctopusVizOptionsFlow()

    # -- shared -----------------------------------------------------------------------------

    async def _fetch_account(self, api_key: str, number: str) -> tuple[Account | None, str | None]:
        """The account, or the error key for the form."""
        client = OctopusClient(async_get_clientsession(self.hass), api_key)
        try:
            return await client.async_get_account(number), None
        except OctopusAuthError:
            return None, "invalid_auth"
        except OctopusNotFoundError:
            return None, "account_not_found"
        except OctopusError as err:
            _LOGGER.debug("Octopus account check failed: %s", err)
            return None, "cannot_connect"
        except Exception:
            _LOGGER.exception("Unexpected error while checking the Octopus account")
            return None, "unknown"

    async def _prepare_meters(self, account: Account) -> None:
        client = OctopusClient(async_get_clientsession(self.hass), self._api_key)
        self._choices, self._preselected = await discover_meters(client, account)
        self._agreement_start = default_history_from(account)
        self._history_from = self._agreement_start
        self._meters = []

    # -- user ---------------------------------------------------------------------------------

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the API key and the account number, and check them against the API."""
        errors: dict[str, str] = {}
        if user_input is not None:
            number = normalise_account_number(user_input[CONF_ACCOUNT_NUMBER])
            if number is None:
                errors[CONF_ACCOUNT_NUMBER] = "invalid_account_number"
            else:
                await self.async_set_unique_id(number)
                self._abort_if_unique_id_configured()
                api_key = user_input[CONF_API_KEY].strip()
                account, error = await self._fetch_account(api_key, number)
                if account is not None:
                    self._api_key, self._account_number = api_key, number
                    await self._prepare_meters(account)
                    return await self.async_step_meters()
                errors["base"] = error or "unknown"
        schema = probatio.Schema(
            {
                probatio.Required(CONF_API_KEY): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.PASSWORD)
                ),
                probatio.Required(CONF_ACCOUNT_NUMBER): str,
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                schema, {k: v for k, v in (user_input or {}).items() if k != CONF_API_KEY}
            ),
            errors=errors,
        )

    # -- meters -------------------------------------------------------------------------------

    async def async_step_meters(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose among the discovered meters and where the history starts."""
        if not self._choices:
            # Never a dead end: an account whose meters are not listed can still be set up.
            return await self.async_step_manual()
        errors: dict[str, str] = {}
        choice = history_choice(self._history_from, self._agreement_start)
        placeholders = {
            "account_number": self._account_number,
            "agreement_start": natural(self._agreement_start),
            "meters": "none",
        }
        if user_input is not None:
            selected = set(user_input.get(CONF_METERS, []))
            choice = user_input.get(CONF_HISTORY, choice)
            self._preselected = selected
            self._add_manual = bool(user_input.get(CONF_ADD_MANUAL))
            empty = [c for c in self._choices if c.key in selected and not c.has_readings]
            if empty:
                errors["base"] = "gas_no_readings"
                placeholders["meters"] = ", ".join(c.label for c in empty)
            elif not selected and not self._add_manual:
                errors["base"] = "no_meters_selected"
            else:
                # Nothing in the API says whether a gas meter counts m³ or kWh: the user says.
                unit = ReadingUnit(user_input.get(CONF_GAS_UNIT, ReadingUnit.M3.value))
                self._meters = [c.with_unit(unit) for c in self._choices if c.key in selected]
                if choice == HISTORY_DATE:
                    return await self.async_step_history_date()
                self._history_from = None if choice == HISTORY_ALL else self._agreement_start
                return await self._async_after_history()
        options = [SelectOptionDict(value=c.key, label=c.label) for c in self._choices]
        fields: dict[Any, Any] = {
            probatio.Optional(CONF_METERS): SelectSelector(
                SelectSelectorConfig(options=options, multiple=True, mode=SelectSelectorMode.LIST)
            ),
            probatio.Required(CONF_HISTORY, default=choice): history_selector(
                self._agreement_start
            ),
        }
        gas = [c for c in self._choices if c.fuel is Fuel.GAS]
        if gas:
            fields[probatio.Optional(CONF_GAS_UNIT, default=ReadingUnit.M3.value)] = UNIT_SELECTOR
        fields[probatio.Optional(CONF_ADD_MANUAL, default=False)] = BooleanSelector()
        suggested = {
            CONF_METERS: sorted(self._preselected),
            CONF_HISTORY: choice,
            CONF_GAS_UNIT: gas[0].unit.value if gas else None,
        }
        return self.async_show_form(
            step_id="meters",
            data_schema=self.add_suggested_values_to_schema(probatio.Schema(fields), suggested),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_history_date(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The first day to import, when the user chose to give one."""
        errors: dict[str, str] = {}
        if user_input is not None:
            picked = str(user_input[CONF_HISTORY_FROM])
            if date.fromisoformat(picked) > dt_util.now().date():
                errors[CONF_HISTORY_FROM] = "history_from_future"
            else:
                self._history_from = picked
                return await self._async_after_history()
        suggested = (user_input or {}).get(CONF_HISTORY_FROM) or self._history_from
        schema = probatio.Schema({probatio.Required(CONF_HISTORY_FROM): DateSelector()})
        return self.async_show_form(
            step_id="history_date",
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_HISTORY_FROM: suggested or self._agreement_start}
            ),
            errors=errors,
            description_placeholders={"agreement_start": natural(self._agreement_start)},
        )

    async def _async_after_history(self) -> ConfigFlowResult:
        if self._add_manual:
            return await self.async_step_manual()
        return await self._async_finish()

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Enter a meter by hand: MPAN (13 digits) and serial, import or export; or a gas
        meter's MPRN (6-10 digits) and serial, reporting m³ (SMETS2, default) or kWh."""
        errors: dict[str, str] = {}
        if user_input is not None:
            mpan = re.sub(r"\s+", "", user_input[CONF_MPAN])
            serial = user_input[CONF_SERIAL].strip()
            gas = user_input[CONF_DIRECTION] == GAS
            if not (MPRN_RE if gas else MPAN_RE).match(mpan):
                errors[CONF_MPAN] = "invalid_mprn" if gas else "invalid_mpan"
            elif not SERIAL_RE.match(serial):
                errors[CONF_SERIAL] = "invalid_serial"
            elif gas and not await self._gas_has_readings(mpan, serial):
                errors["base"] = "gas_meter_no_readings"
            else:
                choice = self._manual_choice(mpan, serial, user_input)
                if choice not in self._meters:
                    self._meters.append(choice)
                if user_input.get(CONF_ADD_ANOTHER):
                    return self._show_manual_form({})
                return await self._async_finish()
        return self._show_manual_form(errors, user_input)

    async def _gas_has_readings(self, mprn: str, serial: str) -> bool:
        client = OctopusClient(async_get_clientsession(self.hass), self._api_key)
        return await has_readings(client, mprn, serial, Fuel.GAS)

    @staticmethod
    def _manual_choice(mpan: str, serial: str, user_input: Mapping[str, Any]) -> MeterChoice:
        if user_input[CONF_DIRECTION] != GAS:
            return MeterChoice(mpan, serial, Direction(user_input[CONF_DIRECTION]))
        unit = ReadingUnit(user_input.get(CONF_UNIT, ReadingUnit.M3.value))
        return MeterChoice(mpan, serial, Direction.IMPORT, Fuel.GAS, unit)

    def _show_manual_form(
        self, errors: dict[str, str], user_input: Mapping[str, Any] | None = None
    ) -> ConfigFlowResult:
        schema = probatio.Schema(
            {
                probatio.Required(CONF_MPAN): str,
                probatio.Required(CONF_SERIAL): str,
                probatio.Required(
                    CONF_DIRECTION, default=Direction.IMPORT.value
                ): DIRECTION_SELECTOR,
                probatio.Optional(CONF_UNIT, default=ReadingUnit.M3.value): UNIT_SELECTOR,
                probatio.Optional(CONF_ADD_ANOTHER, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders={
                "account_number": self._account_number,
                "added": ", ".join(m.label for m in self._meters) or "none",
            },
        )

    async def _async_finish(self) -> ConfigFlowResult:
        meters = [m.as_config() for m in self._meters]
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(),
                data_updates={CONF_METERS: meters, CONF_HISTORY_FROM: self._history_from},
            )
        return self.async_create_entry(
            title=f"Octopus {self._account_number}",
            data={
                CONF_API_KEY: self._api_key,
                CONF_ACCOUNT_NUMBER: self._account_number,
                CONF_METERS: meters,
                CONF_HISTORY_FROM: self._history_from,
            },
        )

    # -- reauth -------------------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored key was refused: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check a new key against the same account, then update the entry and reload."""
        entry = self._get_reauth_entry()
        number = entry.data[CONF_ACCOUNT_NUMBER]
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            account, error = await self._fetch_account(api_key, number)
            if account is not None:
                # A key can only read its own account; a different number means another one.
                await self.async_set_unique_id(account.number)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_API_KEY: api_key}
                )
            errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_API_KEY): TextSelector(
                        TextSelectorConfig(type=TextSelectorType.PASSWORD)
                    )
                }
            ),
            errors=errors,
            description_placeholders={"account_number": number},
        )

    # -- reconfigure --------------------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the followed meters and the history start, with fresh discovery."""
        entry = self._get_reconfigure_entry()
        self._api_key = entry.data[CONF_API_KEY]
        self._account_number = entry.data[CONF_ACCOUNT_NUMBER]
        account, error = await self._fetch_account(self._api_key, self._account_number)
        if account is None:
            # The form has no fields: submitting it retries (after a reauth if needed).
            return self.async_show_form(
                step_id="reconfigure",
                errors={"base": error or "unknown"},
                description_placeholders={"account_number": self._account_number},
            )
        await self.async_set_unique_id(account.number)
        self._abort_if_unique_id_mismatch(reason="wrong_account")
        await self._prepare_meters(account)
        current = [MeterChoice.from_config(raw) for raw in entry.data.get(CONF_METERS, [])]
        # Meters entered by hand earlier stay on offer even though discovery misses them.
        self._choices += [c for c in current if c not in self._choices]
        self._preselected = {c.key for c in current} or self._preselected
        self._history_from = entry.data.get(CONF_HISTORY_FROM)
        return await self.async_step_meters()
