"""The tariff comparison in Home Assistant: service, websocket, sensor, options, bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.octopus_viz.comparison import comparison_of
from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.tariffs.candidate_rates import CATALOGUE_KEY, RATES_KEY
from custom_components.octopus_viz.tariffs.keys import CONF_COMPARE_FAMILIES
from fake_octopus import DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import FAKE_NOW, settle
from .test_options_flow import run_step
from .test_websocket import client_at_frozen_time

ANSWER_KEYS = {"entry_id", "title", "currency", "start", "end", "actual", "candidates"}
CANDIDATE_KEYS = {
    "key",
    "import_product",
    "export_product",
    "name",
    "family",
    "is_actual",
    "available",
    "reason",
    "eligibility",
    "import_cost",
    "export_revenue",
    "standing_charges",
    "net",
    "difference",
    "uncovered_days",
    "months",
}
MONTH_KEYS = {"month", "import_cost", "export_revenue", "standing_charges", "net"}
CHEAPEST = "sensor.octopus_a_demo0001_cheapest_tariff_last_30_days"


@pytest.fixture
async def entry(hass: HomeAssistant, entry_at_fake_now: MockConfigEntry) -> MockConfigEntry:
    """The demo entry loaded at the fake's "now", its candidates' rates fetched."""
    await settle(hass)  # the comparison's refresh follows the first update
    return entry_at_fake_now


async def _compare(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "compare_tariffs", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def _ws(client: MockHAClientWebSocket, **fields: Any) -> dict[str, Any]:
    await client.send_json_auto_id({"type": f"{DOMAIN}/compare", **fields})
    response: dict[str, Any] = await client.receive_json()
    return response


async def test_service_answers_every_candidate_without_a_request(
    hass: HomeAssistant, entry: MockConfigEntry, fake_api: FakeOctopus
) -> None:
    fake_api.reset_counts()
    answer = await _compare(hass, period="last_30_days")
    assert fake_api.count() == 0  # rates cached, readings cached: nothing asked
    assert set(answer) == ANSWER_KEYS
    assert (answer["start"], answer["end"]) == ("2025-10-21", "2025-11-19")
    candidates = answer["candidates"]
    for candidate in candidates:
        assert set(candidate) == CANDIDATE_KEYS
        for month in candidate["months"]:
            assert set(month) == MONTH_KEYS
    actual = next(c for c in candidates if c["is_actual"])
    assert actual["difference"] == 0
    assert actual["net"] == answer["actual"]["net"]
    summary = await hass.services.async_call(
        DOMAIN, "get_summary", {"period": "last_30_days"}, blocking=True, return_response=True
    )
    assert summary is not None
    assert round(answer["actual"]["net"], 2) == summary["net"]  # the same engine, like for like
    keys = {c["key"] for c in candidates}
    assert "AGILE-24-10-01+AGILE-OUTGOING-19-05-13" in keys
    assert "FLUX-IMPORT-23-02-14+FLUX-EXPORT-23-02-14" in keys
    assert not any(c["family"] == "intelligent_go" for c in candidates)  # not preselected
    ranked = [c for c in candidates if c["available"] and not c["uncovered_days"]]
    assert [c["net"] for c in ranked] == sorted(c["net"] for c in ranked)
    fixed = next(c for c in candidates if c["key"] == "OE-FIX-12M-25-11-05+actual")
    assert fixed["uncovered_days"][0] == "2025-10-21"
    assert fixed["uncovered_days"][-1] == "2025-11-04"
    for candidate in ranked:
        total = sum(m["net"] for m in candidate["months"])
        assert total == pytest.approx(candidate["net"])
        assert candidate["difference"] == pytest.approx(candidate["net"] - actual["net"])


async def test_service_filters_products_and_rejects_bad_input(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    store = entry.runtime_data.cache
    before = await hass.async_add_executor_job(store.get_meta, CATALOGUE_KEY)
    answer = await _compare(
        hass, start="2025-11-06", end="2025-11-12", products=["SILVER-24-10-01"]
    )
    assert {c["import_product"] for c in answer["candidates"] if not c["is_actual"]} == {
        "SILVER-24-10-01"
    }
    assert [m["month"] for m in answer["candidates"][0]["months"]] == ["2025-11"]
    for data, key in (
        ({"products": ["NOPE-00-00-00"]}, "unknown_product"),
        ({"start": "2025-11-10", "end": "2025-11-01"}, "end_before_start"),
        ({"start": "2020-01-01", "end": "2020-01-31"}, "no_data"),
        ({"start": "2025-11-10"}, "start_and_end_required"),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await _compare(hass, **data)
        assert caught.value.translation_key == key
        assert key not in str(caught.value)  # translated
    after = await hass.async_add_executor_job(store.get_meta, CATALOGUE_KEY)
    assert after == before  # nothing stored by a comparison


async def test_websocket_answer_and_unknown_products(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: User,
) -> None:
    client = await client_at_frozen_time(hass, hass_admin_user, hass_ws_client)
    response = await _ws(client, start="2025-11-06", end="2025-11-12")
    assert response["success"], response
    result = response["result"]
    assert set(result) == ANSWER_KEYS
    assert result["entry_id"] == entry.entry_id
    assert set(result["actual"]) == {"net", "import_cost", "export_revenue", "standing_charges"}
    response = await _ws(client, period="last_7_days", products=["NOPE-00-00-00", "AGILE-24-10-01"])
    candidates = response["result"]["candidates"]
    unknown = next(c for c in candidates if c["key"] == "NOPE-00-00-00")
    assert (unknown["available"], unknown["reason"], unknown["net"]) == (
        False,
        "unknown_product",
        None,
    )
    assert any(c["import_product"] == "AGILE-24-10-01" and c["available"] for c in candidates)
    bad = await _ws(client, start="2025-11-12", end="2025-11-01")
    assert not bad["success"]
    assert bad["error"]["translation_key"] == "end_before_start"
    outside = await _ws(client, start="2020-01-01", end="2020-01-02")
    assert outside["error"]["translation_key"] == "no_data"


async def test_cheapest_tariff_sensor(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    state = hass.states.get(CHEAPEST)
    assert state is not None, [s.entity_id for s in hass.states.async_all("sensor")][:5]
    latest = comparison_of(hass, entry).latest
    assert latest is not None
    cheapest = next(c for c in latest.candidates if c.available and not c.uncovered_days)
    assert state.state == cheapest.name
    assert cheapest.net is not None
    assert state.attributes["saving"] == round(float(latest.actual.net - cheapest.net), 2)
    assert state.attributes["candidates"][cheapest.name] == round(float(cheapest.net), 2)
    assert state.attributes["start"] == "2025-10-21"


async def test_options_choose_families_and_rates_follow(
    hass: HomeAssistant, entry: MockConfigEntry, fake_api: FakeOctopus
) -> None:
    fake_api.reset_counts()
    result = await run_step(
        hass, entry, "compare", {CONF_COMPARE_FAMILIES: ["intelligent_go", "agile_outgoing"]}
    )
    assert result["type"] == "create_entry"
    assert entry.options[CONF_COMPARE_FAMILIES] == ["intelligent_go", "agile_outgoing"]
    await settle(hass)
    await settle(hass)
    # Only the newly chosen product's rates were asked for (the others are kept).
    asked = {r.path.split("/")[3] for r in fake_api.requests if "electricity-tariffs" in r.path}
    assert asked == {"INTELLI-VAR-22-10-14"}
    answer = await _compare(hass, period="last_7_days")
    families = {c["family"] for c in answer["candidates"]}
    assert families == {"actual", "intelligent_go"}
    rows = await hass.async_add_executor_job(entry.runtime_data.cache.get_meta, RATES_KEY)
    assert any("INTELLI" in key for key in rows["series"])


async def test_region_without_a_tariff_marks_candidates_unavailable(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    fake_api.gsp[DEMO_IMPORT_MPAN] = "_P"
    freezer.move_to(FAKE_NOW)
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_COMPARE_FAMILIES: ["cosy", "go"]}
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    await settle(hass)
    answer = await _compare(hass, period="last_7_days")
    cosy = [c for c in answer["candidates"] if c["family"] == "cosy"]
    assert cosy
    assert all(c["reason"] == "no_tariff_in_region" and not c["available"] for c in cosy)
    assert all(c["eligibility"] == "cosy_needs_heat_pump" for c in cosy)
    go = [c for c in answer["candidates"] if c["family"] == "go"]
    assert go
    assert all(c["available"] for c in go)
    # A day later the daily refresh asks only for rows newer than those kept.
    fake_api.reset_counts()
    freezer.tick(timedelta(days=1))
    fake_api.now = FAKE_NOW + timedelta(days=1)
    await config_entry.runtime_data.async_refresh()
    await settle(hass)
    await settle(hass)
    for request in fake_api.requests:
        if "electricity-tariffs" in request.path:
            assert request.query["period_from"] >= "2025-11-20T12:00:00Z", request
