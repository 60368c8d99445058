"""The pricing question and the tariff source by flow: a gas tariff offers the gas meters only,
an electricity tariff never offers them; a document's gas meter is named by its MPRN."""

from __future__ import annotations

import pytest

from custom_components.octopus_viz.api.models import Direction, Fuel
from custom_components.octopus_viz.tariffs import TariffConfigError, parse_config_document
from custom_components.octopus_viz.tariffs.options import (
    FollowedMeter,
    OptionsError,
    require_covered,
    source_choices,
    tariff_label,
)
from custom_components.octopus_viz.tariffs.pricing_offer import pricing_offer

IMPORT = FollowedMeter("1900000000001", "S1", Direction.IMPORT)
EXPORT = FollowedMeter("1900000000002", "S1", Direction.EXPORT)
GAS = FollowedMeter("8800000001", "G1", Direction.IMPORT, Fuel.GAS)
METERS = [IMPORT, EXPORT, GAS]
GAS_TARIFF = {"name": "My gas", "unit": "gas_kwh", "valid_from": "2024-04-01"}
IMPORT_TARIFF = {"name": "Flux", "unit": "electricity_importing_kwh"}


def test_a_gas_tariff_offers_the_gas_meters_preselected_when_first() -> None:
    offer = pricing_offer(METERS, {}, [IMPORT_TARIFF], [GAS_TARIFF])
    assert offer.meters == [GAS]
    assert offer.preselected == [GAS.mpan]
    assert offer.worth_asking
    assert offer.sources({}, [GAS.mpan]) == {GAS.mpan: "custom"}
    # A second gas tariff: the gas meter still on the account's is offered, not preselected.
    again = pricing_offer(METERS, {}, [GAS_TARIFF], [{**GAS_TARIFF, "name": "Winter"}])
    assert (again.meters, again.preselected) == ([GAS], [])


def test_an_import_tariff_never_offers_the_gas_meter() -> None:
    offer = pricing_offer(METERS, {}, [], [IMPORT_TARIFF])
    assert offer.meters == [IMPORT]  # gas is an import too, of another fuel


def test_tariff_source_and_coverage_go_by_flow() -> None:
    assert source_choices(METERS, {}, [GAS_TARIFF]) == [GAS]
    with pytest.raises(OptionsError) as err:
        require_covered(METERS, {GAS.mpan: "custom"}, [IMPORT_TARIFF], ("no_custom_tariff", "x"))
    assert err.value.details == "8800000001 (no gas tariff)"
    require_covered(METERS, {GAS.mpan: "custom"}, [GAS_TARIFF], ("no_custom_tariff", "x"))
    assert GAS.label == "8800000001 (gas)"
    assert tariff_label(GAS_TARIFF) == "My gas (gas, from 2024-04-01)"


def _document(mpan: str, unit: str) -> dict[str, object]:
    return {"meters": {"meters": [{"mpan": mpan, "unit": unit}]}, "tariffs": {}}


def test_a_document_names_a_gas_meter_by_its_mprn() -> None:
    (meter,) = parse_config_document(_document("88 0000 0001", "gas_kwh")).meters
    assert (meter.mpan, meter.fuel, meter.direction) == ("8800000001", Fuel.GAS, Direction.IMPORT)
    assert meter.serial is None
    with pytest.raises(TariffConfigError, match="not 6 to 10 digits"):
        parse_config_document(_document("12345", "gas_kwh"))
    with pytest.raises(TariffConfigError, match="not 13 digits"):
        parse_config_document(_document("8800000001", "electricity_importing_kwh"))
