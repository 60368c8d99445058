"""Parsing of Octopus JSON and the flow's discovery helpers, without Home Assistant or HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from custom_components.octopus_viz.api.errors import OctopusConnectionError
from custom_components.octopus_viz.api.models import Account, Direction, Fuel
from custom_components.octopus_viz.api.parsing import (
    BadRowError,
    MalformedResponseError,
    format_datetime,
    next_link,
    parse_account,
    parse_datetime,
    parse_product,
    results_of,
)
from custom_components.octopus_viz.discovery import (
    MeterChoice,
    default_history_from,
    discover_meters,
    natural_date,
    normalise_account_number,
)

UTC_MIDNIGHT = datetime(2024, 6, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-10T00:30:00Z", datetime(2024, 1, 10, 0, 30, tzinfo=UTC)),
        ("2024-06-01T01:00:00+01:00", UTC_MIDNIGHT),
        ("2024-06-01T01:00:00+0100", UTC_MIDNIGHT),
        ("2024-06-01T01:00:00.000+01:00", UTC_MIDNIGHT),
        # Naive means UK local time: BST in June, GMT in January.
        ("2024-06-01T01:00:00", UTC_MIDNIGHT),
        ("2024-01-10T00:30:00", datetime(2024, 1, 10, 0, 30, tzinfo=UTC)),
    ],
)
def test_parse_datetime_forms(raw: str, expected: datetime) -> None:
    parsed = parse_datetime(raw)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("raw", [None, "", "yesterday", 1717200000])
def test_parse_datetime_rejects(raw: object) -> None:
    with pytest.raises(BadRowError):
        parse_datetime(raw, "interval_start")


def test_format_datetime_is_utc_z() -> None:
    bst = datetime.fromisoformat("2024-06-01T01:00:00+01:00")
    assert format_datetime(bst) == "2024-06-01T00:00:00Z"
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2024, 6, 1))


def test_results_and_next() -> None:
    assert results_of({"results": []}) == []
    bad_payloads: list[object] = [[], {"detail": "x"}, {"results": {}}, "text"]
    for bad in bad_payloads:
        with pytest.raises(MalformedResponseError):
            results_of(bad)
    assert next_link({"next": "http://x/?page=2"}) == "http://x/?page=2"
    assert next_link({"next": None}) is None
    assert next_link([]) is None


def _account_json() -> dict[str, Any]:
    return {
        "number": "A-1B2C3D4E",
        "properties": [
            {
                "id": 1,
                "moved_in_at": "2023-01-15T00:00:00Z",
                "moved_out_at": None,
                "electricity_meter_points": [
                    {
                        "mpan": "1900000000001",
                        "profile_class": "1",
                        "consumption_standard": None,
                        "is_export": False,
                        "meters": [{"serial_number": "S1", "registers": [{"identifier": "1"}]}],
                        "agreements": [
                            {"tariff_code": "B", "valid_from": "2024-04-01T00:00:00+01:00"},
                            {
                                "tariff_code": "A",
                                "valid_from": "2023-01-15T00:00:00Z",
                                "valid_to": "2024-04-01T00:00:00+01:00",
                            },
                        ],
                    }
                ],
            }
        ],
    }


def test_parse_account() -> None:
    account = parse_account(_account_json())
    prop = account.current_property
    assert prop is not None
    point = prop.electricity_meter_points[0]
    assert point.profile_class == 1
    assert point.consumption_standard is None
    assert point.direction is Direction.IMPORT
    assert [a.tariff_code for a in point.agreements] == ["A", "B"]  # sorted by start
    assert point.agreements[1].valid_from == datetime(2024, 3, 31, 23, tzinfo=UTC)
    assert point.meters[0].registers[0].is_settlement_register
    payload = _account_json()
    payload["properties"][0]["electricity_meter_points"][0]["profile_class"] = True
    point = parse_account(payload).properties[0].electricity_meter_points[0]
    assert point.profile_class is None


@pytest.mark.parametrize(
    "breakage",
    [
        lambda a: a.pop("number"),
        lambda a: a.update(properties="nope"),
        lambda a: a["properties"][0].pop("id"),
        lambda a: a["properties"][0].update(moved_in_at="when?"),
        lambda a: a["properties"][0]["electricity_meter_points"][0].pop("mpan"),
        lambda a: a["properties"][0]["electricity_meter_points"][0]["meters"][0].pop(
            "serial_number"
        ),
        lambda a: a["properties"][0]["electricity_meter_points"][0]["agreements"][0].pop(
            "valid_from"
        ),
        lambda a: a["properties"][0]["electricity_meter_points"].append(7),
        lambda a: a["properties"][0]["electricity_meter_points"][0].update(meters="S1"),
    ],
)
def test_parse_account_malformed(breakage: Any) -> None:
    payload = _account_json()
    breakage(payload)
    with pytest.raises(MalformedResponseError):
        parse_account(payload)
    with pytest.raises(MalformedResponseError):
        parse_account(["not", "an", "object"])


def test_parse_product() -> None:
    product = parse_product(
        {"code": "AGILE-24-10-01", "display_name": "Agile", "is_variable": True}
    )
    assert (product.display_name, product.full_name, product.is_variable) == (
        "Agile",
        "Agile",
        True,
    )
    assert parse_product({"code": "X"}).display_name == "X"
    with pytest.raises(MalformedResponseError):
        parse_product({"display_name": "no code"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" a-1b2c3d4e ", "A-1B2C3D4E"),
        ("A1B2C3D4E", "A-1B2C3D4E"),
        ("A-DEMO0001", "A-DEMO0001"),
        ("A-1B2C 3D4E", "A-1B2C3D4E"),
        ("B-1B2C3D4E", None),
        ("A-1B2C3D4", None),
        ("A-1B2C3D4E5", None),
        ("", None),
    ],
)
def test_normalise_account_number(raw: str, expected: str | None) -> None:
    assert normalise_account_number(raw) == expected


class _ProbeClient:
    """Duck-typed client: the newest reading per serial (or an error)."""

    def __init__(self, latest: dict[str, datetime | Exception | None]) -> None:
        self.latest = latest
        self.probed: list[str] = []
        self.fuels: list[Fuel] = []

    async def async_get_latest_reading_start(
        self, mpan: str, serial: str, fuel: Fuel = Fuel.ELECTRICITY
    ) -> datetime | None:
        self.probed.append(serial)
        self.fuels.append(fuel)
        result = self.latest[serial]
        if isinstance(result, Exception):
            raise result
        return result


def _two_meter_account(serials: list[str]) -> Account:
    payload = _account_json()
    point = payload["properties"][0]["electricity_meter_points"][0]
    point["meters"] = [{"serial_number": s} for s in serials]
    payload["properties"][0]["electricity_meter_points"].append(
        {"mpan": "1900000000002", "is_export": True, "meters": [{"serial_number": "EXP"}]}
    )
    return parse_account(payload)


async def test_discover_prefers_serial_with_newest_data_even_if_listed_first() -> None:
    client = _ProbeClient(
        {"NEW": datetime(2025, 11, 18, tzinfo=UTC), "OLD": datetime(2024, 2, 1, tzinfo=UTC)}
    )
    choices, active = await discover_meters(client, _two_meter_account(["NEW", "OLD"]))
    assert [c.label for c in choices] == [
        "1900000000001 (import) — NEW",
        "1900000000001 (import) — OLD (replaced, last reading 1 Feb 2024)",
        "1900000000002 (export) — EXP",
    ]
    assert active == {"1900000000001/NEW", "1900000000002/EXP"}
    assert sorted(client.probed) == ["NEW", "OLD"]  # a single serial is not probed


async def test_discover_falls_back_to_last_listed() -> None:
    client = _ProbeClient({"A": None, "B": OctopusConnectionError("down")})
    choices, active = await discover_meters(client, _two_meter_account(["A", "B"]))
    assert "1900000000001/B" in active
    # A serial known to have no reading at all is left out: the MPAN is listed once.
    assert [c.key for c in choices] == ["1900000000001/B", "1900000000002/EXP"]


async def test_discover_keeps_a_replaced_serial_whose_probe_failed() -> None:
    client = _ProbeClient(
        {"A": OctopusConnectionError("down"), "B": datetime(2025, 6, 30, 23, 30, tzinfo=UTC)}
    )
    choices, active = await discover_meters(client, _two_meter_account(["A", "B"]))
    assert "1900000000001/B" in active
    # Unknown, so still offered, without a date.
    assert [c.label for c in choices[:2]] == [
        "1900000000001 (import) — A (replaced)",
        "1900000000001 (import) — B",
    ]
    assert choices[0] == MeterChoice("1900000000001", "A", Direction.IMPORT)  # label only


def test_natural_date() -> None:
    assert natural_date(date(2023, 1, 14)) == "14 Jan 2023"
    assert natural_date(date(2024, 12, 1)) == "1 Dec 2024"


async def test_discover_without_current_property() -> None:
    account = Account(number="A-1B2C3D4E")
    assert await discover_meters(_ProbeClient({}), account) == ([], set())
    assert default_history_from(account) is None


def test_default_history_from_is_uk_day_of_earliest_agreement() -> None:
    account = parse_account(_account_json())
    assert default_history_from(account) == "2023-01-15"
    payload = _account_json()
    payload["properties"][0]["electricity_meter_points"] = []
    payload["properties"][0]["moved_in_at"] = "2023-06-30T23:00:00Z"  # 1 July in BST
    assert default_history_from(parse_account(payload)) == "2023-07-01"
    payload["properties"][0]["moved_in_at"] = None
    assert default_history_from(parse_account(payload)) is None


def test_meter_choice_round_trip() -> None:
    choice = MeterChoice("1900000000002", "23J0000002", Direction.EXPORT)
    stored = choice.as_config()
    assert stored == {"mpan": "1900000000002", "serial": "23J0000002", "direction": "export"}
    assert type(stored["direction"]) is str
    assert MeterChoice.from_config(stored) == choice


async def test_discover_probes_gas_meters_and_marks_empty_ones() -> None:
    payload = _account_json()
    payload["properties"][0]["gas_meter_points"] = [
        {"mprn": "8800000001", "meters": [{"serial_number": "G-OLD"}, {"serial_number": "G-NEW"}]},
        {"mprn": "7700000003", "meters": [{"serial_number": "G-DUMB"}]},
    ]
    client = _ProbeClient(
        {
            "G-OLD": None,
            "G-NEW": datetime(2025, 11, 19, 23, 30, tzinfo=UTC),
            "G-DUMB": None,
        }
    )
    choices, active = await discover_meters(client, parse_account(payload))
    gas = {c.key: c for c in choices if c.fuel is Fuel.GAS}
    # The replaced serial without readings is left out, as for electricity; the lone empty
    # meter is listed (it is the meter point's only serial) but marked and not preselected.
    assert set(gas) == {"8800000001/G-NEW", "7700000003/G-DUMB"}
    assert "G-OLD" in client.probed
    assert "8800000001/G-NEW" in active
    assert not active & {"8800000001/G-OLD", "7700000003/G-DUMB"}
    assert not gas["7700000003/G-DUMB"].has_readings
    assert gas["8800000001/G-NEW"].label == "8800000001 (gas) — G-NEW"
    # A single gas serial is probed too: an empty meter must be known before it is chosen.
    assert "G-DUMB" in client.probed
    assert Fuel.GAS in client.fuels
