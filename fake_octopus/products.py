"""The JSON of GET /v1/products/ and GET /v1/products/{code}/: product facts and tariffs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .catalogue import (
    DIRECT_DEBIT,
    NON_DIRECT_DEBIT,
    PRODUCTS,
    Kind,
    ProductSpec,
    RateType,
    Tariff,
    rate_in_force,
    rate_series,
)
from .clock import LONDON
from .specs import on_sale

# Product JSON key of each payment method, and the rate rows that carry its prices.
_METHODS: dict[str, tuple[str | None, ...]] = {
    "direct_debit_monthly": (DIRECT_DEBIT, None),
    "varying": (NON_DIRECT_DEBIT,),
}


def _current(
    tariff: Tariff, rate_type: RateType, now: datetime, methods: tuple[str | None, ...]
) -> tuple[float | None, float | None]:
    series = rate_series(tariff, rate_type, now)
    entry = None if series is None else rate_in_force(series, now, methods)
    if entry is None:
        return None, None
    return float(entry.value_exc_vat), float(entry.value_inc_vat)


def _tariff_entry(tariff: Tariff, method_key: str, base_url: str, now: datetime) -> dict[str, Any]:
    methods = _METHODS[method_key]
    product_code = tariff.product.code
    standing_exc, standing_inc = _current(tariff, RateType.STANDING, now, methods)
    entry: dict[str, Any] = {
        "code": tariff.code,
        "standing_charge_exc_vat": standing_exc or 0.0,
        "standing_charge_inc_vat": standing_inc or 0.0,
        "online_discount_exc_vat": 0,
        "online_discount_inc_vat": 0,
        "dual_fuel_discount_exc_vat": 0,
        "dual_fuel_discount_inc_vat": 0,
        "exit_fees_exc_vat": 0,
        "exit_fees_inc_vat": 0,
        "exit_fees_type": "NONE",
    }
    rate_types = (RateType.DAY, RateType.NIGHT) if tariff.dual_register else (RateType.STANDARD,)
    for rate_type in rate_types:
        prefix = rate_type.value.replace("-rates", "").replace("-", "_")  # e.g. standard_unit
        exc, inc = _current(tariff, rate_type, now, methods)
        entry[f"{prefix}_rate_exc_vat"] = exc
        entry[f"{prefix}_rate_inc_vat"] = inc
    fuel_path = "gas-tariffs" if tariff.gas else "electricity-tariffs"
    entry["links"] = [
        {
            "href": (
                f"{base_url}/v1/products/{product_code}/{fuel_path}/"
                f"{tariff.code}/{rate_type.value}/"
            ),
            "method": "GET",
            "rel": rate_type.value.replace("-", "_"),
        }
        for rate_type in (*rate_types, RateType.STANDING)
    ]
    return entry


def _tariffs(
    spec: ProductSpec, register: str, base_url: str, now: datetime, *, gas: bool = False
) -> dict[str, Any]:
    method_keys = ["direct_debit_monthly"]
    if spec.kind is Kind.VARIABLE:
        method_keys.append("varying")
    tariffs: dict[str, Any] = {}
    fuel = "G" if gas else "E"
    for region in spec.regions:
        code = f"{fuel}-{register}-{spec.code}-{region}"
        tariff = Tariff(code, register == "2R", spec, region, gas)
        tariffs[f"_{region}"] = {
            key: _tariff_entry(tariff, key, base_url, now) for key in method_keys
        }
    return tariffs


def _local_start(day: date | None) -> str | None:
    if day is None:
        return None
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).isoformat()


def product_facts(spec: ProductSpec, base_url: str) -> dict[str, Any]:
    """The fields a product shows in the listing and on its own page."""
    return {
        "code": spec.code,
        "direction": spec.direction,
        "full_name": spec.full_name,
        "display_name": spec.display_name,
        "description": spec.description,
        "is_variable": spec.is_variable,
        "is_green": True,
        "is_tracker": spec.is_tracker,
        "is_prepay": spec.is_prepay,
        "is_business": spec.is_business,
        "is_restricted": False,
        "term": spec.term,
        "available_from": _local_start(spec.available_from),
        "available_to": _local_start(spec.available_to),
        "brand": spec.brand,
        "links": [{"href": f"{base_url}/v1/products/{spec.code}/", "method": "GET", "rel": "self"}],
    }


# Listing filters: query parameter -> the product fact it tests.
LISTING_FLAGS = ("is_variable", "is_green", "is_tracker", "is_prepay", "is_business")


def listed_products(
    query: dict[str, str], available_at: datetime, hidden: frozenset[str] = frozenset()
) -> list[ProductSpec]:
    """Products open to new agreements at `available_at` matching the filters, by code.

    A flag filter takes "true"/"false"; `brand` must match exactly; `hidden` products are left
    out (Flux export has been seen missing from the real listing while its rates stayed).
    """
    day = available_at.astimezone(LONDON).date()
    found: list[ProductSpec] = []
    for spec in sorted(PRODUCTS.values(), key=lambda s: s.code):
        if spec.code in hidden or not on_sale(spec, day):
            continue
        facts = product_facts(spec, "")
        if "brand" in query and query["brand"] != spec.brand:
            continue
        if any(
            flag in query and (query[flag].lower() == "true") != facts[flag]
            for flag in LISTING_FLAGS
        ):
            continue
        found.append(spec)
    return found


def product_payload(code: str, base_url: str, now: datetime) -> dict[str, Any] | None:
    """The product JSON, with prices in force at `now`; None for an unknown product."""
    spec = PRODUCTS.get(code)
    if spec is None:
        return None
    return {
        **product_facts(spec, base_url),
        "tariffs_active_at": now.astimezone(LONDON).isoformat(),
        "single_register_electricity_tariffs": _tariffs(spec, "1R", base_url, now),
        "dual_register_electricity_tariffs": (
            _tariffs(spec, "2R", base_url, now) if spec.dual_register else {}
        ),
        "single_register_gas_tariffs": (
            _tariffs(spec, "1R", base_url, now, gas=True) if spec.gas else {}
        ),
        "dual_register_gas_tariffs": {},
    }
