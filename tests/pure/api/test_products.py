"""Parsing the products catalogue, product pages and meter points (rows and responses)."""

from __future__ import annotations

import pytest

from custom_components.octopus_viz.api.parsing import MalformedResponseError, RowReport
from custom_components.octopus_viz.api.products import (
    parse_meter_point,
    parse_product_details,
    parse_product_rows,
    region_letter,
)


def test_region_letters() -> None:
    assert region_letter("_C") == "C"
    assert region_letter("p") == "P"
    for bad in ("_I", "_Q", "CC", None, 3):
        assert region_letter(bad) is None


def test_listing_rows_skip_broken_ones() -> None:
    report = RowReport()
    rows = [
        {"code": "AGILE-24-10-01", "direction": "IMPORT", "term": True, "available_to": None},
        {"direction": "IMPORT"},
        "nonsense",
        {"code": "X", "available_from": "tomorrow"},
    ]
    products = parse_product_rows(rows, report)
    assert [p.code for p in products] == ["AGILE-24-10-01"]
    assert products[0].display_name == "AGILE-24-10-01"  # no display name: the code
    assert products[0].term is None
    assert report.skipped == 3


def test_product_page() -> None:
    payload = {
        "code": "GO-VAR-22-10-14",
        "display_name": "Octopus Go",
        "single_register_electricity_tariffs": {
            "_A": {"varying": {"code": "E-1R-GO-A-NDD"}},
            "_C": {
                "varying": {"code": "E-1R-GO-C-NDD"},
                "direct_debit_monthly": {"code": "E-1R-GO-C"},
            },
            "_Z": {"direct_debit_monthly": {"code": "ignored"}},
            "_B": {"direct_debit_monthly": {"no": "code"}},
        },
    }
    details = parse_product_details(payload)
    assert details.tariff_code("C") == "E-1R-GO-C"  # direct debit preferred
    assert details.tariff_code("A") == "E-1R-GO-A-NDD"  # the only method there
    assert details.tariff_code("B") is None
    assert set(details.tariffs) == {"A", "C"}
    for bad in (
        [],
        {"display_name": "no code"},
        {"code": "X", "single_register_electricity_tariffs": []},
    ):
        with pytest.raises(MalformedResponseError):
            parse_product_details(bad)


def test_meter_point() -> None:
    point = parse_meter_point({"gsp": "_H", "mpan": "1", "profile_class": True})
    assert (point.region, point.profile_class) == ("H", None)
    for bad in ([], {"gsp": "_Q", "mpan": "1"}, {"gsp": "_C"}):
        with pytest.raises(MalformedResponseError):
            parse_meter_point(bad)
