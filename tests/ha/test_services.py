"""Services: get_summary and get_half_hour_profile on known data, refresh, and every error."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.api.models import CONF_DIRECTION
from custom_components.octopus_viz.const import CONF_METERS, DOMAIN
from custom_components.octopus_viz.history.periods import iter_dates
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import FAKE_NOW, entry_data, settle
from .stats_helpers import day_change, expected_day, half_hours
from .test_sensor import expected_span, standing_span
from .test_websocket import OCTOBER_CHANGE, day_cells, fold

IMPORT_STAT = f"{DOMAIN}:electricity_{DEMO_IMPORT_MPAN}_import"
IMPORT_COST_STAT = f"{IMPORT_STAT}_cost"
PENNY_TOLERANCE = 0.0051  # the services round money to pennies


@pytest.fixture
def entry(entry_at_fake_now: MockConfigEntry) -> MockConfigEntry:
    """The demo entry loaded at the fake's "now"."""
    return entry_at_fake_now


async def _call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def _rejected(hass: HomeAssistant, service: str, key: str, **data: Any) -> str:
    """Call a service that must fail validation with `key`; return the translated text.

    Home Assistant drops the final full stop of exception messages.
    """
    with pytest.raises(ServiceValidationError) as caught:
        await _call(hass, service, **data)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    text = str(caught.value)
    assert text
    assert key not in text  # translated, not the bare key
    return text


def _expected_summary(
    fake: FakeOctopus, first: date, last: date, mpans: tuple[str, ...]
) -> dict[str, float]:
    import_kwh, cost = (
        expected_span(fake, DEMO_IMPORT_MPAN, first, last)
        if DEMO_IMPORT_MPAN in mpans
        else (0.0, Decimal(0))
    )
    export_kwh, revenue = (
        expected_span(fake, DEMO_EXPORT_MPAN, first, last)
        if DEMO_EXPORT_MPAN in mpans
        else (0.0, Decimal(0))
    )
    standing = standing_span(fake, first, last) if DEMO_IMPORT_MPAN in mpans else Decimal(0)
    return {
        "import_kwh": import_kwh,
        "export_kwh": export_kwh,
        "import_cost": float(cost),
        "export_revenue": float(revenue),
        "standing_charges": float(standing),
        "net": float(cost + standing - revenue),
    }


def _assert_summary(
    result: dict[str, Any],
    fake: FakeOctopus,
    first: date,
    last: date,
    mpans: tuple[str, ...] = (DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN),
) -> None:
    assert (result["start"], result["end"]) == (first.isoformat(), last.isoformat())
    assert result["meters"] == list(mpans)
    assert result["currency"] == "GBP"
    assert result["unpriced_half_hours"] == 0
    for key, value in _expected_summary(fake, first, last, mpans).items():
        tolerance = 5e-4 if key.endswith("kwh") else PENNY_TOLERANCE
        assert result[key] == pytest.approx(value, abs=tolerance), key


async def test_get_summary(
    hass: HomeAssistant, fake_api: FakeOctopus, entry: MockConfigEntry
) -> None:
    """Totals of a period equal the sum of its days; named and default periods; meters."""
    result = await _call(
        hass, "get_summary", config_entry_id=entry.entry_id, start="2025-11-10", end="2025-11-16"
    )
    _assert_summary(result, fake_api, date(2025, 11, 10), date(2025, 11, 16))
    assert result["data_until"] == "2025-11-17T00:00:00+00:00"

    yesterday = date(2025, 11, 19)
    result = await _call(hass, "get_summary", period="yesterday")
    _assert_summary(result, fake_api, yesterday, yesterday)
    assert result["data_until"] == "2025-11-20T00:00:00+00:00"

    # No period: the last 30 complete days.
    result = await _call(hass, "get_summary")
    _assert_summary(result, fake_api, date(2025, 10, 21), yesterday)

    # Export alone: no standing charge, the net is minus the revenue.
    result = await _call(hass, "get_summary", period="last_week", meters=[DEMO_EXPORT_MPAN])
    _assert_summary(
        result, fake_api, date(2025, 11, 10), date(2025, 11, 16), mpans=(DEMO_EXPORT_MPAN,)
    )
    assert result["import_kwh"] == result["import_cost"] == result["standing_charges"] == 0
    assert result["net"] == pytest.approx(-result["export_revenue"], abs=0.011)
    # One MPAN may be given as a plain string.
    result = await _call(hass, "get_summary", period="yesterday", meters=DEMO_IMPORT_MPAN)
    _assert_summary(result, fake_api, yesterday, yesterday, mpans=(DEMO_IMPORT_MPAN,))


async def test_get_half_hour_profile(
    hass: HomeAssistant, fake_api: FakeOctopus, entry: MockConfigEntry
) -> None:
    """48 slots per direction; the October day's repeated hour lands in slots 2 and 3."""
    result = await _call(hass, "get_half_hour_profile", start="2025-10-26", end="2025-10-26")
    assert (result["start"], result["end"], result["currency"]) == (
        "2025-10-26",
        "2025-10-26",
        "GBP",
    )
    slots = result["slots"]
    assert [s["slot"] for s in slots] == list(range(48))
    assert slots[2]["label"] == "01:00"
    assert slots[47]["label"] == "23:30"
    starts = half_hours(OCTOBER_CHANGE)
    assert len(starts) == 50
    for slot, (first, second) in ((2, (2, 4)), (3, (3, 5))):
        assert slots[slot]["import_days"] == 1  # one day, although two half-hours
        both = fake_api.consumption_kwh(DEMO_IMPORT_MPAN, starts[first])
        both += fake_api.consumption_kwh(DEMO_IMPORT_MPAN, starts[second])
        assert slots[slot]["import_kwh_sum"] == pytest.approx(both, abs=1e-9)
    for direction, mpan, money in (
        ("import", DEMO_IMPORT_MPAN, "cost"),
        ("export", DEMO_EXPORT_MPAN, "revenue"),
    ):
        cells = day_cells(fake_api, mpan, OCTOBER_CHANGE)
        for slot, (kwh, value, _) in enumerate(cells):
            got = slots[slot]
            assert got[f"{direction}_days"] == 1
            assert got[f"{direction}_kwh_sum"] == pytest.approx(kwh, abs=1e-9)
            assert got[f"{direction}_kwh_mean"] == pytest.approx(kwh, abs=1e-9)
            assert got[f"{direction}_{money}_sum"] == pytest.approx(float(value), abs=1e-9)
            assert got[f"{direction}_{money}_mean"] == pytest.approx(float(value), abs=1e-9)

    # No period: the last 30 days, every slot on every day.
    result = await _call(hass, "get_half_hour_profile", config_entry_id=entry.entry_id)
    assert (result["start"], result["end"]) == ("2025-10-21", "2025-11-19")
    days = iter_dates(date(2025, 10, 21), date(2025, 11, 19))
    expected = fold(day_cells(fake_api, DEMO_EXPORT_MPAN, d) for d in days)
    for got, (kwh, value, present) in zip(result["slots"], expected, strict=True):
        assert got["export_days"] == present == 30
        assert got["export_kwh_sum"] == pytest.approx(kwh, abs=1e-9)
        assert got["export_kwh_mean"] == pytest.approx(kwh / 30, abs=1e-9)
        assert got["export_revenue_mean"] == pytest.approx(float(value) / 30, abs=1e-9)

    # A named period reaching today counts only the days with readings.
    result = await _call(hass, "get_half_hour_profile", period="this_week")
    assert (result["start"], result["end"]) == ("2025-11-17", "2025-11-20")
    assert {s["import_days"] for s in result["slots"]} == {3}


async def test_errors(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Bad input is a translated validation error naming what is wrong."""
    text = await _rejected(
        hass, "get_summary", "end_before_start", start="2025-11-10", end="2025-11-01"
    )
    assert text == "The end date 2025-11-01 is before the start date 2025-11-10"
    text = await _rejected(
        hass, "get_half_hour_profile", "start_and_end_required", start="2025-11-10"
    )
    assert text == "Give both a start and an end date, or a period"
    await _rejected(hass, "get_summary", "start_and_end_required", end="2025-11-10")
    await _rejected(hass, "get_summary", "period_too_long", start="2020-01-01", end="2025-11-01")
    text = await _rejected(
        hass, "get_summary", "unknown_meter", meters=[DEMO_IMPORT_MPAN, "1234567890123"]
    )
    assert text == "This account does not follow meter 1234567890123"
    # Periods without any reading: today (data arrives a day late) and long ago.
    text = await _rejected(hass, "get_summary", "no_data", period="today")
    assert text == "There is no data between 2025-11-20 and 2025-11-20"
    await _rejected(hass, "get_half_hour_profile", "no_data", start="2025-01-01", end="2025-01-31")
    text = await _rejected(hass, "get_summary", "entry_not_found", config_entry_id="nope")
    assert text == "No Octopus Energy Viz account with id nope"
    await _rejected(
        hass, "refresh", "entry_not_found", config_entry_id="nope", **{"from": "2025-11-01"}
    )
    text = await _rejected(hass, "refresh", "from_in_future", **{"from": "2025-11-21"})
    assert text == "The refresh cannot start in the future (2025-11-21)"
    # Rejected by the schemas before the handlers run.
    for service, data in (
        ("get_summary", {"period": "fortnight"}),
        ("get_half_hour_profile", {"start": "not a date", "end": "2025-11-01"}),
        ("refresh", {}),
    ):
        with pytest.raises(probatio.Invalid):
            await _call(hass, service, **data)

    # Another account, not loaded; then loaded too, which makes the choice ambiguous.
    other = MockConfigEntry(domain=DOMAIN, title="Other", unique_id="other", data=entry_data())
    other.add_to_hass(hass)
    text = await _rejected(hass, "get_summary", "entry_not_loaded", config_entry_id=other.entry_id)
    assert text == f"The Octopus Energy Viz account {other.entry_id} is not loaded"
    other.mock_state(hass, ConfigEntryState.LOADED)
    await _rejected(hass, "get_summary", "entry_required")
    await _rejected(hass, "get_half_hour_profile", "entry_required")
    await _rejected(hass, "refresh", "entry_required", **{"from": "2025-11-01"})
    result = await _call(hass, "get_summary", config_entry_id=entry.entry_id, period="yesterday")
    assert result["end"] == "2025-11-19"
    other.mock_state(hass, ConfigEntryState.NOT_LOADED)

    # The services stay registered without any loaded account.
    assert await hass.config_entries.async_unload(entry.entry_id)
    text = await _rejected(hass, "get_summary", "no_entry")
    assert text == "No Octopus Energy Viz account is configured"


async def test_refresh_rewrites_an_old_correction(
    hass: HomeAssistant, fake_api: FakeOctopus, entry: MockConfigEntry
) -> None:
    """A reading corrected before the re-fetch window is only seen by the refresh service."""
    coordinator = entry.runtime_data
    corrected = datetime(2025, 10, 25, 12, 0, tzinfo=UTC)
    day = corrected.date()
    old_kwh = fake_api.consumption_kwh(DEMO_IMPORT_MPAN, corrected)
    old_states, _ = await day_change(hass, IMPORT_STAT, day)
    fake_api.revise(DEMO_IMPORT_MPAN, corrected, old_kwh + 2.0)
    new_kwh, new_money = expected_day(fake_api, DEMO_IMPORT_MPAN, day)

    def cached_kwh() -> float:
        series = coordinator.data.meters[DEMO_IMPORT_MPAN].series
        return float(series.kwh[series.epochs.index(int(corrected.timestamp()))])

    # The hourly poll only re-asks the last 7 days: the correction is not seen.
    await coordinator.async_refresh()
    await settle(hass)
    assert cached_kwh() == pytest.approx(old_kwh)

    # A failing refresh is an error, translated.
    fake_api.fail("server_error", times=100, path_contains="/consumption/")
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, "refresh", **{"from": "2025-10-24"})
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "refresh_failed"
    assert str(caught.value) == (
        "The refresh from the Octopus Energy API failed; nothing was changed"
    )
    fake_api.clear_faults()
    await settle(hass)

    fake_api.reset_counts()
    result = await _call(hass, "refresh", config_entry_id=entry.entry_id, **{"from": "2025-10-24"})
    await settle(hass)
    # One request per meter covers 2025-10-24 to now.
    assert fake_api.count("/consumption/") == 2
    assert result["from"] == "2025-10-24"
    written = result["rows_written"]
    assert set(written[DEMO_IMPORT_MPAN]["rows_written"]) == {IMPORT_STAT, IMPORT_COST_STAT}
    assert written[DEMO_IMPORT_MPAN]["first_new"] == corrected.isoformat()
    assert written[DEMO_EXPORT_MPAN]["rows_written"] == {}  # nothing changed there
    assert cached_kwh() == pytest.approx(old_kwh + 2.0)
    states, change = await day_change(hass, IMPORT_STAT, day)
    assert states == pytest.approx(old_states + 2.0, abs=1e-6)
    assert change == pytest.approx(new_kwh, abs=1e-6)
    _, money_change = await day_change(hass, IMPORT_COST_STAT, day)
    assert money_change == pytest.approx(float(new_money), abs=1e-6)


async def test_two_meters_of_one_direction(
    hass: HomeAssistant, fake_api: FakeOctopus, freezer: FrozenDateTimeFactory
) -> None:
    """Two import meters add up per half-hour; standing charges where a tariff has one."""
    # The demo's export MPAN declared as a second import meter: both meters have data, and
    # its (Agile Outgoing) tariff has no standing charge.
    data = entry_data("2025-11-17")
    data[CONF_METERS][1][CONF_DIRECTION] = "import"
    entry = MockConfigEntry(domain=DOMAIN, title="Two imports", unique_id="two", data=data)
    entry.add_to_hass(hass)
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    day = date(2025, 11, 19)
    result = await _call(hass, "get_summary", period="yesterday")
    first_kwh, first_cost = expected_day(fake_api, DEMO_IMPORT_MPAN, day)
    second_kwh, second_cost = expected_day(fake_api, DEMO_EXPORT_MPAN, day)
    standing = standing_span(fake_api, day, day)
    assert result["meters"] == [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]
    assert result["import_kwh"] == pytest.approx(first_kwh + second_kwh, abs=5e-4)
    assert result["export_kwh"] == result["export_revenue"] == 0
    assert result["import_cost"] == pytest.approx(
        float(first_cost + second_cost), abs=PENNY_TOLERANCE
    )
    assert result["standing_charges"] == pytest.approx(float(standing), abs=PENNY_TOLERANCE)
    assert result["net"] == pytest.approx(
        float(first_cost + second_cost + standing), abs=PENNY_TOLERANCE
    )

    result = await _call(hass, "get_half_hour_profile", period="yesterday")
    cells = zip(
        day_cells(fake_api, DEMO_IMPORT_MPAN, day),
        day_cells(fake_api, DEMO_EXPORT_MPAN, day),
        strict=True,
    )
    for got, (first, second) in zip(result["slots"], cells, strict=True):
        assert not any(key.startswith("export") for key in got)  # no export meter
        assert got["import_days"] == 1
        assert got["import_kwh_sum"] == pytest.approx(first[0] + second[0], abs=1e-9)
        assert got["import_cost_sum"] == pytest.approx(float(first[1] + second[1]), abs=1e-9)
