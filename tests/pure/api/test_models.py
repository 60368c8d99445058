"""Meters as the config entry stores them: electricity, gas in m³ or kWh, old entries."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.octopus_viz.api.models import (
    Direction,
    Fuel,
    MeterConfig,
    ReadingUnit,
)
from custom_components.octopus_viz.api.parsing import MalformedResponseError, parse_account


def test_an_entry_made_before_gas_reads_as_electricity() -> None:
    meter = MeterConfig.from_config(
        {"mpan": "1900000000001", "serial": "23J0000002", "direction": "export"}
    )
    assert meter.fuel is Fuel.ELECTRICITY
    assert meter.unit is ReadingUnit.KWH
    assert meter.direction is Direction.EXPORT
    assert meter.flow == "export"
    assert not meter.is_gas
    assert "fuel" not in meter.as_config()  # stored exactly as before


def test_a_gas_meter_is_an_import_with_its_unit() -> None:
    meter = MeterConfig.from_config(
        {"mpan": "8800000001", "serial": "E6S1", "direction": "import", "fuel": "gas", "unit": "m3"}
    )
    assert meter.is_gas
    assert meter.reports_volume
    assert meter.direction is Direction.IMPORT
    assert meter.flow == "gas"
    smets1 = MeterConfig.from_config(
        {"mpan": "7700000002", "serial": "G4A", "direction": "import", "fuel": "gas", "unit": "kwh"}
    )
    assert not smets1.reports_volume


@given(
    point=st.from_regex(r"\A[0-9]{6,13}\Z"),
    serial=st.from_regex(r"\A[0-9A-Z]{1,14}\Z"),
    fuel=st.sampled_from(Fuel),
    unit=st.sampled_from(ReadingUnit),
    direction=st.sampled_from(Direction),
)
def test_stored_form_round_trips(
    point: str, serial: str, fuel: Fuel, unit: ReadingUnit, direction: Direction
) -> None:
    # Only meaningful combinations exist: gas imports; electricity counts kWh.
    gas = fuel is Fuel.GAS
    meter = MeterConfig(
        mpan=point,
        serial=serial,
        direction=Direction.IMPORT if gas else direction,
        fuel=fuel,
        unit=unit if gas else ReadingUnit.KWH,
    )
    assert MeterConfig.from_config(meter.as_config()) == meter


def test_gas_meter_points_are_parsed() -> None:
    account = parse_account(
        {
            "number": "A-1",
            "properties": [
                {
                    "id": 1,
                    "moved_out_at": None,
                    "electricity_meter_points": [],
                    "gas_meter_points": [
                        {
                            "mprn": "8800000001",
                            "meters": [{"serial_number": "E6S1"}],
                            "agreements": [
                                {
                                    "tariff_code": "G-1R-VAR-22-11-01-C",
                                    "valid_from": "2025-04-01T00:00:00+01:00",
                                    "valid_to": None,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    (point,) = account.properties[0].gas_meter_points
    assert point.mprn == "8800000001"
    assert point.meters[0].serial_number == "E6S1"
    assert point.agreements[0].valid_from.isoformat() == "2025-03-31T23:00:00+00:00"
    with pytest.raises(MalformedResponseError, match="gas meter point without mprn"):
        parse_account(
            {"number": "A-1", "properties": [{"id": 1, "gas_meter_points": [{"meters": []}]}]}
        )
