"""The tariff candidates of a comparison: product families, which product stands for each, pairs.

Pure Python. A household can choose among a few families of Octopus products; the products
catalogue lists the current product of each (the newest on sale wins). Import and export are
priced separately and then paired: Flux import goes only with Flux export (they are sold as a
pair), any other import with any other export (the user's own tariffs included). Eligibility
(Flux needs solar and a battery, Intelligent Go a compatible charger, Cosy a heat pump) is shown
with a candidate, never enforced: the comparison prices the same consumption either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from ..api.models import Direction, Fuel
from ..api.products import ProductInfo
from .document import tariff_from_dict
from .model import TariffConfigError
from .timeline import Timeline


class Family(StrEnum):
    """A kind of product a household can choose."""

    AGILE = "agile"
    FLEXIBLE = "flexible"
    GO = "go"
    INTELLIGENT_GO = "intelligent_go"
    COSY = "cosy"
    FLUX = "flux"
    TRACKER = "tracker"
    FIXED = "fixed"
    AGILE_OUTGOING = "agile_outgoing"
    OUTGOING_FIXED = "outgoing_fixed"
    FLUX_EXPORT = "flux_export"


EXPORT_FAMILIES: Final = frozenset(
    {Family.AGILE_OUTGOING, Family.OUTGOING_FIXED, Family.FLUX_EXPORT}
)
# Preselected in the options: every family but those few households are eligible for.
DEFAULT_FAMILIES: Final = tuple(f for f in Family if f not in (Family.INTELLIGENT_GO, Family.COSY))
ELIGIBILITY: Final[Mapping[str, str]] = {
    Family.FLUX: "flux_needs_solar_battery",
    Family.INTELLIGENT_GO: "intelligent_go_needs_charger",
    Family.COSY: "cosy_needs_heat_pump",
}
ACTUAL: Final = "actual"
CUSTOM: Final = "custom"
ACTUAL_NAMES: Final = {
    Direction.IMPORT: "Your import tariff",
    Direction.EXPORT: "Your export tariff",
}
ACTUAL_PAIR_NAME: Final = "Your tariffs"

# Code prefixes of each family, most specific first (product codes end in their launch date).
_PREFIXES: Final = (
    ("FLUX-EXPORT-", Family.FLUX_EXPORT),
    ("FLUX-IMPORT-", Family.FLUX),
    ("AGILE-OUTGOING-", Family.AGILE_OUTGOING),
    ("OUTGOING-FIX-", Family.OUTGOING_FIXED),
    ("AGILE-", Family.AGILE),
    ("INTELLI-", Family.INTELLIGENT_GO),
    ("GO-", Family.GO),
    ("COSY-", Family.COSY),
    ("SILVER-", Family.TRACKER),
    ("VAR-", Family.FLEXIBLE),
)


def family_of(product: ProductInfo) -> Family | None:
    """The family a product belongs to (None: not one a comparison offers)."""
    code = product.code.upper()
    family = next((f for prefix, f in _PREFIXES if code.startswith(prefix)), None)
    if family is None:
        if product.is_tracker:
            family = Family.TRACKER
        elif not product.is_variable and product.term == 12 and "-FIX-" in code:
            family = Family.FIXED
    if family is None or (family in EXPORT_FAMILIES) != (product.direction is Direction.EXPORT):
        return None
    return family


def flux_export_code(flux_import_code: str) -> str:
    """The export product sold with a Flux import product (same launch date)."""
    return flux_import_code.upper().replace("FLUX-IMPORT-", "FLUX-EXPORT-", 1)


def choose_products(products: Iterable[ProductInfo]) -> dict[Family, ProductInfo]:
    """The current product of every family: the one put on sale last.

    Flux export has been seen missing from the listing while its rates stayed readable: then
    the export product of the chosen Flux import stands in (named after its code).
    """
    chosen: dict[Family, ProductInfo] = {}
    for product in products:
        family = family_of(product)
        if family is None:
            continue
        current = chosen.get(family)
        if current is None or _launch(product) > _launch(current):
            chosen[family] = product
    flux = chosen.get(Family.FLUX)
    if flux is not None and Family.FLUX_EXPORT not in chosen:
        code = flux_export_code(flux.code)
        chosen[Family.FLUX_EXPORT] = ProductInfo(
            code=code, direction=Direction.EXPORT, display_name=code
        )
    return chosen


def _launch(product: ProductInfo) -> float:
    return product.available_from.timestamp() if product.available_from else float("-inf")


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceOption:
    """One way to price one direction: a product's tariff, the user's tariffs, or the actual.

    `timeline` None means the option cannot price anything; `reason` says why (a translation
    key such as "no_tariff_in_region").
    """

    key: str
    name: str
    family: str
    direction: Direction
    timeline: Timeline | None
    product: str | None = None
    reason: str | None = None

    @property
    def available(self) -> bool:
        """Whether it prices anything."""
        return self.timeline is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """An import option, with the export option it is paired with (None: no export meter)."""

    imports: PriceOption
    exports: PriceOption | None

    @property
    def key(self) -> str:
        """Unique within a comparison, e.g. "AGILE-24-10-01+AGILE-OUTGOING-19-05-13"."""
        return (
            self.imports.key if self.exports is None else f"{self.imports.key}+{self.exports.key}"
        )

    @property
    def is_actual(self) -> bool:
        """The tariffs the account is on."""
        return self.imports.key == ACTUAL and (self.exports is None or self.exports.key == ACTUAL)

    @property
    def name(self) -> str:
        """Shown to the user: "Agile Octopus + Agile Outgoing Octopus"."""
        if self.is_actual:
            return ACTUAL_PAIR_NAME
        if self.exports is None or self.exports.name == self.imports.name:
            return self.imports.name
        return f"{self.imports.name} + {self.exports.name}"

    @property
    def eligibility(self) -> str | None:
        """What the household needs to be offered it (a translation key), if anything."""
        return ELIGIBILITY.get(self.imports.family)

    @property
    def reason(self) -> str | None:
        """Why it is unavailable (the import side's reason first)."""
        if self.imports.reason is not None:
            return self.imports.reason
        return None if self.exports is None else self.exports.reason


def pair_options(imports: Sequence[PriceOption], exports: Sequence[PriceOption]) -> list[Candidate]:
    """Every allowed pairing: Flux with Flux only, any other import with any other export.

    Without an export meter (`exports` empty) each import stands alone.
    """
    if not exports:
        return [Candidate(imports=option, exports=None) for option in imports]
    pairs: list[Candidate] = []
    for imported in imports:
        for exported in exports:
            flux_in = imported.family == Family.FLUX
            flux_out = exported.family == Family.FLUX_EXPORT
            if flux_in == flux_out:
                pairs.append(Candidate(imports=imported, exports=exported))
    return pairs


def custom_options(stored: Sequence[Mapping[str, Any]]) -> list[PriceOption]:
    """The user's custom electricity tariffs (entered or imported as JSON) as one option per
    direction (gas tariffs price no electricity and are left out).

    They were validated when saved; a hand-edited set that no longer parses is left out.
    """
    try:
        parsed = [tariff_from_dict(raw) for raw in stored]
        tariffs = [t for t in parsed if t.fuel is Fuel.ELECTRICITY]
        options: list[PriceOption] = []
        for direction in Direction:
            mine = [t for t in tariffs if t.direction is direction]
            if mine:
                names = ", ".join(sorted(t.name for t in mine))
                options.append(
                    PriceOption(
                        key=CUSTOM,
                        name=names,
                        family=CUSTOM,
                        direction=direction,
                        timeline=Timeline(mine, direction),
                    )
                )
    except TariffConfigError:
        return []
    return options
