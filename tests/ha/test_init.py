"""Setting up, backfilling and unloading an account."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.octopus_viz.history.aggregation import totals
from custom_components.octopus_viz.history.periods import day_bounds
from fake_octopus import DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import settle


async def test_setup_backfills_and_unloads(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """The entry loads, backfills in the background, and unloads cleanly."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    assert config_entry.state is ConfigEntryState.LOADED
    coordinator = config_entry.runtime_data
    snapshot = coordinator.data.meters[DEMO_IMPORT_MPAN]
    start, end = day_bounds(date(2025, 11, 1))
    expected = 0.0
    t = start
    while t < end:
        expected += fake_api.consumption_kwh(DEMO_IMPORT_MPAN, t)
        t += timedelta(minutes=30)
    got = totals(snapshot.series, date(2025, 11, 1), date(2025, 11, 1))
    assert abs(got.kwh - expected) < 1e-9
    assert got.count == 48
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.NOT_LOADED


async def test_removing_the_entry_deletes_its_cache(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry, cache_dir: Path
) -> None:
    """The cache file is written under the entry's id and goes with the entry."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    cache = cache_dir / f"{config_entry.entry_id}.sqlite3"
    assert cache.is_file()
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert not cache.exists()


async def test_bad_key_at_setup_starts_reauth(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """A 401 while reading the account: setup fails and a reauth flow is started."""
    fake_api.fail("unauthorized", times=5)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler("octopus_viz")
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_transient_error_at_setup_retries(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Transient failures (403 pages) at setup: retried later, never a reauth."""
    monkeypatch.setattr("custom_components.octopus_viz.api.client._backoff_sleep", _no_sleep)
    fake_api.fail("forbidden_html", times=20)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress_by_handler("octopus_viz")


async def test_update_errors(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """During polling: transient errors fail the update without reauth; a 401 starts reauth."""
    monkeypatch.setattr("custom_components.octopus_viz.api.client._backoff_sleep", _no_sleep)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    coordinator = config_entry.runtime_data
    assert coordinator.last_update_success

    for kind in ("forbidden_html", "rate_limited", "server_error", "bad_gateway"):
        fake_api.fail(kind, times=20)
        await coordinator.async_refresh()
        assert not coordinator.last_update_success, kind
        assert not hass.config_entries.flow.async_progress_by_handler("octopus_viz")
        fake_api.faults.clear()
        await coordinator.async_refresh()
        assert coordinator.last_update_success

    fake_api.fail("unauthorized", times=20)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert not coordinator.last_update_success
    flows = hass.config_entries.flow.async_progress_by_handler("octopus_viz")
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_data_updated_event(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """New readings fire octopus_viz_data_updated with the meter and the new span."""
    events = async_capture_events(hass, "octopus_viz_data_updated")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    by_mpan = {e.data["mpan"]: e.data for e in events}
    assert set(by_mpan) == {DEMO_IMPORT_MPAN, "1900000000002"}
    data = by_mpan[DEMO_IMPORT_MPAN]
    assert data["entry_id"] == config_entry.entry_id
    assert data["direction"] == "import"
    assert data["first_interval_start"] == "2025-10-19T23:00:00+00:00"  # local midnight, BST
    assert data["last_interval_end"] == "2025-11-20T00:00:00+00:00"
    # Nothing new: no event.
    events.clear()
    await config_entry.runtime_data.async_refresh()
    await settle(hass)
    assert events == []


async def _no_sleep(_delay: float) -> None:
    """Back-off without waiting."""
