"""The products catalogue and meter points: typed models and their parsing.

What a tariff comparison needs from the API: the products on sale (`GET /v1/products/`), the
tariff code of a product in each region and payment method (`GET /v1/products/{code}/`) and the
region of a meter (`GET /v1/electricity-meter-points/{mpan}/`, its `gsp`). Pure Python; the
client asks, these functions read. A response that is not what the API promises raises
`MalformedResponseError`; a listing row that is broken is skipped (one bad product should not
hide the others).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
import re
from typing import Any, Final

from .models import Direction
from .parsing import BadRowError, MalformedResponseError, RowReport, parse_optional_datetime

DIRECT_DEBIT_MONTHLY: Final = "direct_debit_monthly"
_REGION_RE: Final = re.compile(r"^_?([A-HJ-NP])$")  # the 14 GSP groups: no I or O


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductInfo:
    """A product as the catalogue lists it."""

    code: str
    direction: Direction
    display_name: str
    full_name: str = ""
    is_variable: bool = False
    is_tracker: bool = False
    is_business: bool = False
    is_prepay: bool = False
    term: int | None = None
    brand: str = ""
    available_from: datetime | None = None
    available_to: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductDetails:
    """A product with its single-register tariff codes: region letter -> method -> code."""

    info: ProductInfo
    tariffs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def tariff_code(self, region: str) -> str | None:
        """The region's tariff code, direct debit preferred (None: not sold there)."""
        methods = self.tariffs.get(region)
        if not methods:
            return None
        return methods.get(DIRECT_DEBIT_MONTHLY) or next(iter(methods.values()))


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterPointInfo:
    """A meter point's region (grid supply point group letter, "C" for `_C`)."""

    mpan: str
    region: str
    profile_class: int | None = None


def region_letter(value: object) -> str | None:
    """ "_C" or "C" -> "C"; anything else None."""
    if not isinstance(value, str):
        return None
    match = _REGION_RE.match(value.strip().upper())
    return None if match is None else match[1]


def _flag(raw: Mapping[str, Any], name: str) -> bool:
    return raw.get(name) is True


def _text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    return value if isinstance(value, str) else ""


def parse_product_info(raw: object) -> ProductInfo:
    """One product (a listing row or a product page), or BadRowError."""
    if not isinstance(raw, Mapping):
        raise BadRowError("product is not an object")
    code = raw.get("code")
    if not isinstance(code, str) or not code:
        raise BadRowError("missing code")
    direction = Direction.EXPORT if raw.get("direction") == "EXPORT" else Direction.IMPORT
    term = raw.get("term")
    return ProductInfo(
        code=code,
        direction=direction,
        display_name=_text(raw, "display_name") or code,
        full_name=_text(raw, "full_name"),
        is_variable=_flag(raw, "is_variable"),
        is_tracker=_flag(raw, "is_tracker"),
        is_business=_flag(raw, "is_business"),
        is_prepay=_flag(raw, "is_prepay"),
        term=term if isinstance(term, int) and not isinstance(term, bool) else None,
        brand=_text(raw, "brand"),
        available_from=parse_optional_datetime(raw.get("available_from"), "available_from"),
        available_to=parse_optional_datetime(raw.get("available_to"), "available_to"),
    )


def parse_product_rows(rows: list[Any], report: RowReport) -> list[ProductInfo]:
    """The products of a listing page; broken rows are skipped and counted."""
    products: list[ProductInfo] = []
    for row in rows:
        try:
            products.append(parse_product_info(row))
        except BadRowError as err:
            report.add(str(err))
    return products


def parse_product_details(payload: object) -> ProductDetails:
    """A product page: its facts and single-register tariff codes per region and method."""
    try:
        info = parse_product_info(payload)
    except BadRowError as err:
        raise MalformedResponseError(f"product: {err}") from err
    assert isinstance(payload, Mapping)  # parse_product_info checked it
    regions = payload.get("single_register_electricity_tariffs", {})
    if not isinstance(regions, Mapping):
        raise MalformedResponseError("single_register_electricity_tariffs is not an object")
    tariffs: dict[str, dict[str, str]] = {}
    for key, methods in regions.items():
        letter = region_letter(key)
        if letter is None or not isinstance(methods, Mapping):
            continue
        codes = {
            str(method): entry["code"]
            for method, entry in methods.items()
            if isinstance(entry, Mapping) and isinstance(entry.get("code"), str)
        }
        if codes:
            tariffs[letter] = codes
    return ProductDetails(info=info, tariffs=tariffs)


def parse_meter_point(payload: object) -> MeterPointInfo:
    """The meter point endpoint's JSON; a meter point without a region is malformed."""
    if not isinstance(payload, Mapping):
        raise MalformedResponseError("meter point is not a JSON object")
    region = region_letter(payload.get("gsp"))
    mpan = payload.get("mpan")
    if region is None or not isinstance(mpan, str):
        raise MalformedResponseError("meter point without gsp or mpan")
    profile = payload.get("profile_class")
    known = isinstance(profile, int) and not isinstance(profile, bool)
    return MeterPointInfo(mpan=mpan, region=region, profile_class=profile if known else None)
