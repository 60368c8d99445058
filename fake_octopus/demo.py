"""The deterministic demo account served by the fake API (constants and the account JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

from .gas import GasMeterPoint

DEMO_API_KEY: Final = "sk_live_demo_octopus_viz_0000"
DEMO_ACCOUNT_NUMBER: Final = "A-DEMO0001"
DEMO_IMPORT_MPAN: Final = "1900000000001"
DEMO_EXPORT_MPAN: Final = "1900000000002"
DEMO_SERIAL: Final = "23J0000002"
DEMO_OLD_SERIAL: Final = "21L0000001"  # replaced meter on the import MPAN: listed, never any data
# The property moved out of (economy 7): listed by the account, no data of interest.
DEMO_OLD_PROPERTY_MPAN: Final = "1100000000007"
DEMO_OLD_PROPERTY_SERIAL: Final = "19E0000007"

DEFAULT_HISTORY_START: Final = datetime(2023, 1, 15, tzinfo=UTC)
EXPORT_HISTORY_START: Final = datetime(2023, 3, 1, tzinfo=UTC)

# (mpan, serial) pairs the consumption endpoint knows; pairs mapped to False exist but have no data.
METER_HAS_DATA: Final[dict[tuple[str, str], bool]] = {
    (DEMO_IMPORT_MPAN, DEMO_SERIAL): True,
    (DEMO_IMPORT_MPAN, DEMO_OLD_SERIAL): False,
    (DEMO_EXPORT_MPAN, DEMO_SERIAL): True,
    (DEMO_OLD_PROPERTY_MPAN, DEMO_OLD_PROPERTY_SERIAL): False,
}

# The region (grid supply point group) of each demo meter point: London.
DEMO_GSP: Final[dict[str, str]] = {
    DEMO_IMPORT_MPAN: "_C",
    DEMO_EXPORT_MPAN: "_C",
    DEMO_OLD_PROPERTY_MPAN: "_E",
}

# Agreements with the timestamps written as the real API mixes them (`Z` and `+01:00`).
IMPORT_AGREEMENTS: Final = (
    ("E-1R-VAR-22-11-01-C", "2023-01-15T00:00:00Z", "2024-04-01T00:00:00+01:00"),
    ("E-1R-FLUX-IMPORT-23-02-14-C", "2024-04-01T00:00:00+01:00", "2025-06-01T00:00:00+01:00"),
    ("E-1R-AGILE-24-10-01-C", "2025-06-01T00:00:00+01:00", None),
)
EXPORT_AGREEMENTS: Final = (
    ("E-1R-OUTGOING-FIX-12M-19-05-13-C", "2023-03-01T00:00:00Z", "2024-04-01T00:00:00+01:00"),
    ("E-1R-FLUX-EXPORT-23-02-14-C", "2024-04-01T00:00:00+01:00", "2025-06-01T00:00:00+01:00"),
    ("E-1R-AGILE-OUTGOING-19-05-13-C", "2025-06-01T00:00:00+01:00", None),
)
OLD_PROPERTY_AGREEMENTS: Final = (
    ("E-2R-VAR-22-11-01-C", "2022-11-01T00:00:00Z", "2023-01-14T00:00:00Z"),
)


def _agreements(rows: tuple[tuple[str, str, str | None], ...]) -> list[dict[str, Any]]:
    return [
        {"tariff_code": code, "valid_from": start, "valid_to": end} for code, start, end in rows
    ]


def _single_register() -> list[dict[str, Any]]:
    return [{"identifier": "1", "rate": "STANDARD", "is_settlement_register": True}]


def account_payload(gas_points: Iterable[GasMeterPoint] = ()) -> dict[str, Any]:
    """The account as GET /v1/accounts/{number}/ returns it (a fresh dict per call), with the
    current property's gas meter points."""
    old_property = {
        "id": 1_000_101,
        "moved_in_at": "2019-08-02T00:00:00+01:00",
        "moved_out_at": "2023-01-14T00:00:00Z",
        "address_line_1": "4 Old Mill Lane",
        "address_line_2": "",
        "address_line_3": "",
        "town": "READING",
        "county": "BERKSHIRE",
        "postcode": "RG1 1AA",
        "electricity_meter_points": [
            {
                "mpan": DEMO_OLD_PROPERTY_MPAN,
                "profile_class": 2,
                "consumption_standard": 4200,
                "meters": [
                    {
                        "serial_number": DEMO_OLD_PROPERTY_SERIAL,
                        "registers": [
                            {"identifier": "1", "rate": "DAY", "is_settlement_register": True},
                            {"identifier": "2", "rate": "NIGHT", "is_settlement_register": True},
                        ],
                    }
                ],
                "agreements": _agreements(OLD_PROPERTY_AGREEMENTS),
                "is_export": False,
            }
        ],
        "gas_meter_points": [],
    }
    current_property = {
        "id": 1_000_202,
        "moved_in_at": "2023-01-15T00:00:00Z",
        "moved_out_at": None,
        "address_line_1": "12 Demo Street",
        "address_line_2": "Flat 2",
        "address_line_3": "",
        "town": "LONDON",
        "county": "",
        "postcode": "SW1A 1AA",
        "electricity_meter_points": [
            {
                "mpan": DEMO_IMPORT_MPAN,
                "profile_class": 1,
                "consumption_standard": 3100,
                "meters": [
                    {"serial_number": DEMO_OLD_SERIAL, "registers": _single_register()},
                    {"serial_number": DEMO_SERIAL, "registers": _single_register()},
                ],
                "agreements": _agreements(IMPORT_AGREEMENTS),
                "is_export": False,
            },
            {
                "mpan": DEMO_EXPORT_MPAN,
                "profile_class": 8,
                "consumption_standard": 1800,
                "meters": [{"serial_number": DEMO_SERIAL, "registers": _single_register()}],
                "agreements": _agreements(EXPORT_AGREEMENTS),
                "is_export": True,
            },
        ],
        "gas_meter_points": [point.payload() for point in gas_points],
    }
    return {"number": DEMO_ACCOUNT_NUMBER, "properties": [old_property, current_property]}
