"""The users' config document and the stored dict form of a tariff."""

from __future__ import annotations

import copy
from decimal import Decimal
import json
from typing import Any

import pytest

from custom_components.octopus_viz.api.models import Direction, Fuel
from custom_components.octopus_viz.tariffs import (
    RateInterval,
    Tariff,
    TariffConfigError,
    parse_config_document,
    tariff_from_dict,
    tariff_to_dict,
)

from .helpers import FLUX_IMPORT, SEED_DOCUMENT, flat, utc


def test_seed_document_expands_meters_and_tariffs() -> None:
    document = parse_config_document(json.dumps(SEED_DOCUMENT))
    assert [(m.mpan, m.serial, m.direction, m.api_key) for m in document.meters] == [
        ("1100000000001", "21L1234567", Direction.EXPORT, "sk_test"),
        ("1100000000002", "21L1234567", Direction.IMPORT, "sk_test"),
    ]
    by_name = {t.name: t for t in document.tariffs}
    assert set(by_name) == {"flux_export_2023-07", "flux_import_2023-07"}
    export = by_name["flux_export_2023-07"]
    assert export.direction is Direction.EXPORT
    assert export.currency == "GBP"
    # Floats are read through their shortest repr: exact decimals.
    assert [b.rate for b in export.bands][:2] == [Decimal("0.1972"), Decimal("0.07432")]
    assert document.timeline(Direction.IMPORT).tariffs == (by_name["flux_import_2023-07"],)


def test_entry_fields_win_over_shared_ones() -> None:
    doc = copy.deepcopy(SEED_DOCUMENT)
    doc["meters"]["meters"][0]["serial"] = "OWN"
    meters = parse_config_document(doc).meters
    assert [m.serial for m in meters] == ["OWN", "21L1234567"]


def test_validity_dates_are_local_midnight_and_datetimes_accepted() -> None:
    doc: dict[str, Any] = {
        "tariffs": {
            "old": {**FLUX_IMPORT, "valid_until": "2024-04-01"},
            "new": {**FLUX_IMPORT, "valid_from": "2024-04-01T00:00:00+01:00"},
        }
    }
    tariffs = {t.name: t for t in parse_config_document(doc).tariffs}
    assert tariffs["old"].valid_to == utc(2024, 3, 31, 23)  # BST began 2024-03-31
    assert tariffs["new"].valid_from == utc(2024, 3, 31, 23)
    naive = tariff_from_dict({**FLUX_IMPORT, "valid_from": "2024-01-10T06:30"}, name="n")
    assert naive.valid_from == utc(2024, 1, 10, 6, 30)  # no offset: UK local (GMT here)


def test_meters_need_only_mpan_and_unit() -> None:
    """The prototype's file carries api_key and serial; a document without them is as good."""
    doc = {
        "meters": {
            "meters": [
                {"mpan": "1900000000001", "unit": "electricity_importing_kwh"},
                {"mpan": 1900000000002, "unit": "electricity_exporting_kwh", "serial": " "},
                {"mpan": "19 0000 0000 003", "unit": "electricity_importing_kwh", "api_key": []},
            ]
        },
        "tariffs": {"flux": FLUX_IMPORT},
    }
    meters = parse_config_document(doc).meters
    assert [(m.mpan, m.direction, m.serial, m.api_key) for m in meters] == [
        ("1900000000001", Direction.IMPORT, None, None),
        ("1900000000002", Direction.EXPORT, None, None),
        ("1900000000003", Direction.IMPORT, None, None),
    ]


def _band(start: str, end: str, rate: Any = 0.2) -> dict[str, Any]:
    return {"interval_start": start, "interval_end": end, "rate": rate}


GOOD_REST = [_band("05:00", "24:00")]


@pytest.mark.parametrize(
    ("rates", "key", "band"),
    [
        ([_band("00:00", "05:00"), _band("04:00", "24:00")], "bands_overlap", "04:00-24:00"),
        ([_band("00:00", "02:00"), _band("03:00", "24:00")], "bands_gap", "02:00-03:00"),
        ([_band("00:00", "23:00")], "bands_gap", "23:00-24:00"),
        ([_band("00:00", "05:15"), _band("05:15", "24:00")], "band_not_half_hour", "00:00-05:15"),
        ([_band("00:00", "5am"), *GOOD_REST], "invalid_band_time", "00:00-5am"),
        ([_band("00:00", "24:30"), *GOOD_REST], "invalid_band_time", "00:00-24:30"),
        ([_band("05:00", "05:00"), _band("00:00", "24:00")], "band_empty", "05:00-05:00"),
        ([_band("00:00", "05:00", None), *GOOD_REST], "missing_rate", "00:00-05:00"),
        (
            [{"interval_start": "00:00", "interval_end": "05:00"}, *GOOD_REST],
            "missing_rate",
            "00:00-05:00",
        ),
        ([_band("00:00", "05:00", "cheap"), *GOOD_REST], "invalid_rate", "00:00-05:00"),
        ([_band("00:00", "05:00", True), *GOOD_REST], "invalid_rate", "00:00-05:00"),
        ([_band("00:00", "05:00", "NaN"), *GOOD_REST], "invalid_rate", "00:00-05:00"),
        ([_band("00:00", "05:00", [1]), *GOOD_REST], "invalid_rate", "00:00-05:00"),
    ],
)
def test_band_errors_name_tariff_and_band(rates: list[Any], key: str, band: str) -> None:
    doc = {"tariffs": {"my_flux": {**FLUX_IMPORT, "rates": rates}}}
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(doc)
    error = caught.value
    assert (error.translation_key, error.tariff, error.band) == (key, "my_flux", band)
    assert "my_flux" in str(error)
    assert band in str(error)
    assert error.translation_placeholders["band"] == band


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"unit": "water_litres"}, "invalid_unit"),
        ({"currency": "pounds"}, "invalid_currency"),
        ({"currency": 826}, "invalid_currency"),
        ({"rates": []}, "no_bands"),
        ({"rates": ["00:00"]}, "invalid_band"),
        ({"valid_from": "2024-05-01", "valid_until": "2024-04-01"}, "invalid_validity"),
        ({"valid_from": "2024-04-01", "valid_until": "2024-04-01"}, "invalid_validity"),
        ({"valid_from": "yesterday"}, "invalid_date"),
        ({"valid_from": 20240401}, "invalid_date"),
        ({"standing_charge": "lots"}, "invalid_standing_charge"),
        ({"intervals": "x"}, "invalid_tariff"),
        ({"night_window": ["07:30", "00:30"]}, "invalid_tariff"),
    ],
)
def test_tariff_errors_name_the_tariff(changes: dict[str, Any], key: str) -> None:
    doc = {"tariffs": {"t1": {**FLUX_IMPORT, **changes}}}
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(doc)
    assert caught.value.translation_key == key
    assert caught.value.tariff == "t1"
    assert "t1" in str(caught.value)


def test_all_errors_are_collected() -> None:
    doc = copy.deepcopy(SEED_DOCUMENT)
    doc["tariffs"]["bad_a"] = {**FLUX_IMPORT, "unit": "nope"}
    doc["tariffs"]["bad_b"] = {**FLUX_IMPORT, "rates": [_band("00:00", "12:00")]}
    doc["meters"]["meters"].append({"mpan": "1", "unit": "water"})
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(doc)
    keys = {(issue.key, issue.tariff) for issue in caught.value.issues}
    # The two flux import tariffs (seed + bad_b is rejected, so only the seed) do not overlap;
    # bad_a's unit is unknown; the meter's unit is unknown.
    assert keys == {("invalid_unit", None), ("invalid_unit", "bad_a"), ("bands_gap", "bad_b")}


def test_overlapping_tariffs_of_one_direction_rejected() -> None:
    doc = {
        "tariffs": {
            "flux_2023": {**FLUX_IMPORT, "valid_until": "2024-06-01"},
            "flux_2024": {**FLUX_IMPORT, "valid_from": "2024-05-01"},
            "export": {**FLUX_IMPORT, "unit": "electricity_exporting_kwh"},
        }
    }
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(doc)
    assert caught.value.translation_key == "tariffs_overlap"
    assert {caught.value.tariff, caught.value.issues[0].other_tariff} == {"flux_2023", "flux_2024"}
    doc["tariffs"]["flux_2024"]["valid_from"] = "2024-06-01"
    assert len(parse_config_document(doc).tariffs) == 3


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ("{not json", "invalid_document"),
        ("[1, 2]", "invalid_document"),
        ({"tariffs": []}, "invalid_document"),
        ({"tariffs": {"t": "flux"}}, "invalid_tariff"),
        ({"meters": []}, "invalid_meter"),
        ({"meters": {"meters": ["1100"]}}, "invalid_meter"),
        (
            {"meters": {"meters": [{"mpan": "1", "unit": "electricity_importing_kwh"}]}},
            "invalid_meter",
        ),
        ({"meters": {"meters": [{"unit": "electricity_importing_kwh"}]}}, "invalid_meter"),
    ],
)
def test_document_structure_errors(doc: Any, key: str) -> None:
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(doc)
    assert caught.value.translation_key == key


def test_band_tariff_dict_round_trip() -> None:
    tariff = tariff_from_dict(
        {**FLUX_IMPORT, "valid_from": "2024-04-01", "standing_charge": 0.4837}, name="flux"
    )
    stored = tariff_to_dict(tariff)
    assert stored["rates"][1] == {
        "interval_start": "02:00",
        "interval_end": "05:00",
        "rate": "0.18432",
    }
    assert stored["valid_from"] == "2024-03-31T23:00:00+00:00"
    assert stored["standing_charge"] == "0.4837"
    again = tariff_from_dict(json.loads(json.dumps(stored)))
    assert again == tariff
    assert tariff_to_dict(again) == stored


def test_interval_tariff_dict_round_trip() -> None:
    tariff = Tariff(
        name="E-2R-VAR-22-11-01-A",
        direction=Direction.EXPORT,
        valid_from=utc(2024, 1, 1),
        valid_to=utc(2025, 1, 1),
        intervals=(RateInterval(start=utc(2024, 1, 1), end=None, value=Decimal("0.2891")),),
        night_intervals=(
            RateInterval(start=utc(2024, 1, 1), end=utc(2024, 7, 1), value=Decimal("0.1")),
        ),
        night_window=(60, 480),
        standing_charge_intervals=(
            RateInterval(start=utc(2024, 1, 1), end=None, value=Decimal("0.5")),
        ),
        code="E-2R-VAR-22-11-01-A",
    )
    stored = json.loads(json.dumps(tariff_to_dict(tariff)))
    assert stored["night_window"] == ["01:00", "08:00"]
    assert tariff_from_dict(stored) == tariff


def test_tariff_from_dict_needs_a_name_and_an_object() -> None:
    with pytest.raises(TariffConfigError) as caught:
        tariff_from_dict(FLUX_IMPORT)
    assert caught.value.translation_key == "invalid_name"
    with pytest.raises(TariffConfigError):
        tariff_from_dict("flux")  # type: ignore[arg-type]
    with pytest.raises(TariffConfigError) as caught:
        tariff_from_dict(
            {
                **FLUX_IMPORT,
                "intervals": [
                    {"start": "2024-01-02", "rate": 1},
                    {"start": "2024-01-01", "rate": 1},
                ],
            },
            name="x",
        )
    assert caught.value.translation_key == "invalid_tariff"


def test_integer_and_string_rates_accepted() -> None:
    tariff = tariff_from_dict(
        {
            "unit": "electricity_importing_kwh",
            "rates": [_band("00:00", "12:00", 1), _band("12:00", "24:00", " -0.05 ")],
        },
        name="x",
    )
    assert [b.rate for b in tariff.bands] == [Decimal(1), Decimal("-0.05")]
    assert flat("f", "0.1").standing_charge is None
    assert tariff.rate_at_epoch(int(utc(2024, 1, 1, 13).timestamp())) == Decimal("-0.05")


def test_gas_tariffs_are_their_own_flow() -> None:
    """A gas tariff may overlap an electricity import tariff: they price different meters."""
    gas = {
        "unit": "gas_kwh",
        "currency": "GBP",
        "valid_from": "2023-07-01",
        "standing_charge": "0.3143",
        "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": "0.0604"}],
    }
    doc = parse_config_document({"tariffs": {"gas": gas, "flux": FLUX_IMPORT}})
    gas_tariff = next(t for t in doc.tariffs if t.name == "gas")
    assert gas_tariff.fuel is Fuel.GAS
    assert gas_tariff.direction is Direction.IMPORT
    assert tariff_to_dict(gas_tariff)["unit"] == "gas_kwh"
    assert tariff_from_dict(tariff_to_dict(gas_tariff)) == gas_tariff
    assert [t.name for t in doc.timeline(Direction.IMPORT, Fuel.GAS).tariffs] == ["gas"]
    assert [t.name for t in doc.timeline(Direction.IMPORT).tariffs] == ["flux"]
    two_gas = {"tariffs": {"gas": gas, "gas2": {**gas, "valid_from": "2024-01-01"}}}
    with pytest.raises(TariffConfigError) as caught:
        parse_config_document(two_gas)
    assert caught.value.translation_key == "tariffs_overlap"
