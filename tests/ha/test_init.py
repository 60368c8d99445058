"""Setting up, backfilling and unloading an account."""

from __future__ import annotations

from datetime import date, timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.periods import day_bounds
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
    from custom_components.octopus_viz.aggregation import totals

    got = totals(snapshot.series, date(2025, 11, 1), date(2025, 11, 1))
    assert abs(got.kwh - expected) < 1e-9
    assert got.count == 48
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.NOT_LOADED
