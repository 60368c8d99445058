"""Account endpoint: authentication, 404 for other accounts, and the exact shape."""

from __future__ import annotations

from datetime import datetime
import itertools

import aiohttp
import pytest

from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_EXPORT_MPAN,
    DEMO_GAS_MPRN,
    DEMO_GAS_SERIAL,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
    FakeOctopus,
)

from .conftest import get_json

ACCOUNT_PATH = f"/v1/accounts/{DEMO_ACCOUNT_NUMBER}/"


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Authentication credentials were not provided."),
        ({"Authorization": aiohttp.encode_basic_auth("sk_live_wrong", "")}, "Invalid API key."),
        ({"Authorization": "Basic not-base64!"}, "Invalid API key."),
        ({"Authorization": "Bearer token"}, "Invalid API key."),
    ],
)
async def test_missing_or_wrong_key_is_401(
    fake: FakeOctopus, headers: dict[str, str], detail: str
) -> None:
    async with (
        aiohttp.ClientSession(fake.url) as session,
        session.get(ACCOUNT_PATH, headers=headers) as response,
    ):
        assert response.status == 401
        assert response.content_type == "application/json"
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        assert await response.json() == {"detail": detail}


async def test_other_account_is_404(session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, "/v1/accounts/A-OTHER123/")
    assert status == 404
    assert body == {"detail": "Not found."}


async def test_unknown_path_is_json_404(session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, "/v1/nothing-here/")
    assert status == 404
    assert body == {"detail": "Not found."}


async def test_post_is_405(session: aiohttp.ClientSession) -> None:
    async with session.post(ACCOUNT_PATH) as response:
        assert response.status == 405
        assert await response.json() == {"detail": 'Method "POST" not allowed.'}


async def test_account_shape(session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, ACCOUNT_PATH)
    assert status == 200
    assert body["number"] == DEMO_ACCOUNT_NUMBER
    old, current = body["properties"]
    address_keys = {
        "address_line_1",
        "address_line_2",
        "address_line_3",
        "town",
        "county",
        "postcode",
    }
    for prop in (old, current):
        assert address_keys <= prop.keys()
        assert {"id", "moved_in_at", "moved_out_at", "electricity_meter_points"} <= prop.keys()
    assert old["gas_meter_points"] == []
    (gas_point,) = current["gas_meter_points"]
    assert gas_point["mprn"] == DEMO_GAS_MPRN
    assert [m["serial_number"] for m in gas_point["meters"]] == [DEMO_GAS_SERIAL]
    assert gas_point["agreements"] == [
        {
            "tariff_code": "G-1R-VAR-22-11-01-C",
            "valid_from": "2023-01-15T00:00:00Z",
            "valid_to": None,
        }
    ]

    assert old["moved_out_at"] == "2023-01-14T00:00:00Z"
    old_point = old["electricity_meter_points"][0]
    assert old_point["agreements"][0]["tariff_code"] == "E-2R-VAR-22-11-01-C"
    assert len(old_point["meters"][0]["registers"]) == 2

    assert current["moved_in_at"] == "2023-01-15T00:00:00Z"
    assert current["moved_out_at"] is None
    import_point, export_point = current["electricity_meter_points"]
    assert import_point["mpan"] == DEMO_IMPORT_MPAN
    assert import_point["is_export"] is False
    assert [m["serial_number"] for m in import_point["meters"]] == [DEMO_OLD_SERIAL, DEMO_SERIAL]
    assert import_point["agreements"] == [
        {
            "tariff_code": "E-1R-VAR-22-11-01-C",
            "valid_from": "2023-01-15T00:00:00Z",
            "valid_to": "2024-04-01T00:00:00+01:00",
        },
        {
            "tariff_code": "E-1R-FLUX-IMPORT-23-02-14-C",
            "valid_from": "2024-04-01T00:00:00+01:00",
            "valid_to": "2025-06-01T00:00:00+01:00",
        },
        {
            "tariff_code": "E-1R-AGILE-24-10-01-C",
            "valid_from": "2025-06-01T00:00:00+01:00",
            "valid_to": None,
        },
    ]
    assert export_point["mpan"] == DEMO_EXPORT_MPAN
    assert export_point["is_export"] is True
    assert [m["serial_number"] for m in export_point["meters"]] == [DEMO_SERIAL]
    codes = [a["tariff_code"] for a in export_point["agreements"]]
    assert codes == [
        "E-1R-OUTGOING-FIX-12M-19-05-13-C",
        "E-1R-FLUX-EXPORT-23-02-14-C",
        "E-1R-AGILE-OUTGOING-19-05-13-C",
    ]
    # Agreements chain without gaps, and every timestamp parses.
    for point in (import_point, export_point):
        agreements = point["agreements"]
        for earlier, later in itertools.pairwise(agreements):
            assert datetime.fromisoformat(earlier["valid_to"]) == datetime.fromisoformat(
                later["valid_from"]
            )
