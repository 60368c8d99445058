"""The account's agreements for the followed meters, cached so a restart needs no request.

Agreements drive the account tariffs and where a first backfill starts. They change rarely (a
tariff switch), so they are read from the cache at start-up and refreshed once a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api.client import OctopusClient
from .api.models import CONF_MPAN, Account, Agreement, MeterConfig
from .const import CONF_ACCOUNT_NUMBER, CONF_METERS
from .history.cache import ReadingCache

ACCOUNT_REFRESH = timedelta(days=1)
META_KEY = "agreements"


def agreements_by_mpan(account: Account) -> dict[str, list[dict[str, str | None]]]:
    """Agreements of every meter point (by MPAN, or MPRN for gas), as JSON for the cache."""
    found: dict[str, list[dict[str, str | None]]] = {}
    for prop in account.properties:
        points = [(p.mpan, p.agreements) for p in prop.electricity_meter_points]
        points += [(p.mprn, p.agreements) for p in prop.gas_meter_points]
        for point_id, agreements in points:
            found.setdefault(point_id, []).extend(
                {
                    "tariff_code": a.tariff_code,
                    "valid_from": a.valid_from.isoformat(),
                    "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                }
                for a in agreements
            )
    return found


def meters_with_agreements(entry: ConfigEntry, stored: dict[str, Any]) -> list[MeterConfig]:
    """The entry's meters, each with its stored agreements (oldest first)."""
    meters: list[MeterConfig] = []
    for raw in entry.data.get(CONF_METERS, []):
        rows = stored.get("by_mpan", {}).get(raw[CONF_MPAN], [])
        agreements = tuple(
            sorted(
                (
                    Agreement(
                        tariff_code=row["tariff_code"],
                        valid_from=datetime.fromisoformat(row["valid_from"]),
                        valid_to=datetime.fromisoformat(row["valid_to"])
                        if row["valid_to"]
                        else None,
                    )
                    for row in rows
                ),
                key=lambda a: a.valid_from,
            )
        )
        meters.append(MeterConfig.from_config(raw, agreements))
    return meters


async def async_fetch_agreements(
    hass: HomeAssistant,
    client: OctopusClient,
    cache: ReadingCache,
    entry: ConfigEntry,
    now: datetime,
) -> dict[str, Any]:
    """Ask the account (one request) and store its agreements."""
    account = await client.async_get_account(entry.data[CONF_ACCOUNT_NUMBER])
    stored = {"fetched_at": now.isoformat(), "by_mpan": agreements_by_mpan(account)}
    await hass.async_add_executor_job(cache.set_meta, {META_KEY: stored})
    return stored


async def async_load_agreements(
    hass: HomeAssistant, client: OctopusClient, cache: ReadingCache, entry: ConfigEntry
) -> list[MeterConfig]:
    """Meters with agreements from the cache, asking the API only when none are stored."""
    stored: dict[str, Any] | None = await hass.async_add_executor_job(cache.get_meta, META_KEY)
    if not stored:
        stored = await async_fetch_agreements(hass, client, cache, entry, dt_util.utcnow())
    return meters_with_agreements(entry, stored)


def agreements_due(stored: dict[str, Any] | None, now: datetime) -> bool:
    """Whether the daily account refresh is due."""
    if not stored or "fetched_at" not in stored:
        return True
    return now - datetime.fromisoformat(stored["fetched_at"]) >= ACCOUNT_REFRESH
