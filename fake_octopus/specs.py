"""The demo products: what the products catalogue lists and what each product's rates follow.

Besides the demo account's own products (variable, Flux, Agile, Outgoing), the catalogue holds
one current product of every family a household can choose (Go, Intelligent Go, Cosy, Tracker,
a 12-month fixed), an Agile product that is no longer sold (availability window), a business
and a prepay product (filtered out by a household's search), and a fixed product first sold in
the middle of the demo history (its rates start there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .prices import REGIONS


class Kind(StrEnum):
    """How a product's rates are generated."""

    VARIABLE = "variable"
    FLUX_IMPORT = "flux_import"
    FLUX_EXPORT = "flux_export"
    AGILE_IMPORT = "agile_import"
    AGILE_OUTGOING = "agile_outgoing"
    OUTGOING_FIXED = "outgoing_fixed"
    GO = "go"
    INTELLIGENT_GO = "intelligent_go"
    COSY = "cosy"
    TRACKER = "tracker"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductSpec:
    """A product of the catalogue (available_to is exclusive; None = still on sale)."""

    code: str
    kind: Kind
    full_name: str
    display_name: str
    description: str
    direction: str
    available_from: date
    is_variable: bool
    available_to: date | None = None
    is_tracker: bool = False
    is_business: bool = False
    is_prepay: bool = False
    brand: str = "OCTOPUS_ENERGY"
    term: int | None = None
    dual_register: bool = False
    regions: str = REGIONS  # the GSP groups it is sold in
    gas: bool = False  # also sold for gas (single register G-1R-... tariffs)


def _spec(code: str, kind: Kind, names: tuple[str, str, str], **facts: object) -> ProductSpec:
    full_name, display_name, description = names
    facts.setdefault("direction", "IMPORT")
    facts.setdefault("is_variable", True)
    return ProductSpec(
        code=code,
        kind=kind,
        full_name=full_name,
        display_name=display_name,
        description=description,
        **facts,  # type: ignore[arg-type]
    )


_SPECS = (
    _spec(
        "VAR-22-11-01",
        Kind.VARIABLE,
        (
            "Flexible Octopus November 2022 v1",
            "Flexible Octopus",
            "Flexible Octopus prices follow wholesale costs and the price cap.",
        ),
        available_from=date(2022, 11, 1),
        dual_register=True,
        gas=True,
    ),
    _spec(
        "FLUX-IMPORT-23-02-14",
        Kind.FLUX_IMPORT,
        (
            "Octopus Flux Import February 2023 v1",
            "Octopus Flux Import",
            "Cheaper 02:00-05:00, pricier 16:00-19:00: for solar and battery homes.",
        ),
        available_from=date(2023, 2, 14),
    ),
    _spec(
        "FLUX-EXPORT-23-02-14",
        Kind.FLUX_EXPORT,
        (
            "Octopus Flux Export February 2023 v1",
            "Octopus Flux Export",
            "Export rates that pay most between 16:00 and 19:00.",
        ),
        direction="EXPORT",
        available_from=date(2023, 2, 14),
    ),
    _spec(
        "AGILE-24-10-01",
        Kind.AGILE_IMPORT,
        (
            "Agile Octopus October 2024 v1",
            "Agile Octopus",
            "Half-hourly prices following the wholesale market, published a day ahead.",
        ),
        available_from=date(2024, 10, 1),
        term=12,
    ),
    _spec(
        "AGILE-23-12-06",
        Kind.AGILE_IMPORT,
        (
            "Agile Octopus December 2023 v1",
            "Agile Octopus",
            "The previous Agile product: no longer sold, its rates still published.",
        ),
        available_from=date(2023, 12, 6),
        available_to=date(2024, 10, 1),
        term=12,
    ),
    _spec(
        "AGILE-OUTGOING-19-05-13",
        Kind.AGILE_OUTGOING,
        (
            "Agile Outgoing Octopus May 2019",
            "Agile Outgoing Octopus",
            "Half-hourly export prices that follow the wholesale market.",
        ),
        direction="EXPORT",
        available_from=date(2019, 5, 13),
        term=12,
    ),
    _spec(
        "OUTGOING-FIX-12M-19-05-13",
        Kind.OUTGOING_FIXED,
        (
            "Outgoing Octopus Fixed 12 month v1",
            "Outgoing Octopus",
            "A fixed price for every kWh exported.",
        ),
        direction="EXPORT",
        available_from=date(2019, 5, 13),
        is_variable=False,
        term=12,
    ),
    _spec(
        "GO-VAR-22-10-14",
        Kind.GO,
        (
            "Octopus Go October 2022 v1",
            "Octopus Go",
            "A cheap rate from 00:30 to 05:30 for electric vehicle owners.",
        ),
        available_from=date(2022, 10, 14),
    ),
    _spec(
        "INTELLI-VAR-22-10-14",
        Kind.INTELLIGENT_GO,
        (
            "Intelligent Octopus Go October 2022 v1",
            "Intelligent Octopus Go",
            "A cheap rate from 23:30 to 05:30; smart charging with a compatible charger or car.",
        ),
        available_from=date(2022, 10, 14),
    ),
    _spec(
        "COSY-22-12-08",
        Kind.COSY,
        (
            "Cosy Octopus December 2022 v1",
            "Cosy Octopus",
            "Two cheap windows a day for heat pumps, a pricier 16:00-19:00 peak.",
        ),
        available_from=date(2022, 12, 8),
        regions=REGIONS.replace("P", ""),  # not sold in North Scotland
    ),
    _spec(
        "SILVER-24-10-01",
        Kind.TRACKER,
        (
            "Octopus Tracker October 2024 v1",
            "Octopus Tracker",
            "A new price every day, following the day's wholesale costs.",
        ),
        available_from=date(2024, 10, 1),
        is_tracker=True,
        term=12,
    ),
    _spec(
        "OE-FIX-12M-25-11-05",
        Kind.FIXED,
        (
            "Octopus 12M Fixed November 2025 v1",
            "Octopus 12M Fixed",
            "One price for every kWh, fixed for 12 months.",
        ),
        available_from=date(2025, 11, 5),
        is_variable=False,
        term=12,
    ),
    _spec(
        "BUS-VAR-22-11-01",
        Kind.VARIABLE,
        (
            "Business Flexible November 2022",
            "Business Flexible",
            "A variable tariff for business premises.",
        ),
        available_from=date(2022, 11, 1),
        is_business=True,
    ),
    _spec(
        "PREPAY-VAR-22-11-01",
        Kind.VARIABLE,
        (
            "Flexible Octopus Prepay November 2022",
            "Flexible Octopus Prepay",
            "A variable tariff for prepayment meters.",
        ),
        available_from=date(2022, 11, 1),
        is_prepay=True,
    ),
)

PRODUCTS: dict[str, ProductSpec] = {spec.code: spec for spec in _SPECS}


def on_sale(spec: ProductSpec, day: date) -> bool:
    """Whether the product is open to new agreements on a (local) day."""
    return spec.available_from <= day and (spec.available_to is None or day < spec.available_to)
