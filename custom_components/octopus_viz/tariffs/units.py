"""What a tariff's `unit` says: the fuel and direction it prices (import, export or gas).

The unit strings are the prototype's config document's; stored tariffs use them too.
"""

from __future__ import annotations

from typing import Final

from ..api.models import Direction, Fuel

UNIT_IMPORT: Final = "electricity_importing_kwh"
UNIT_EXPORT: Final = "electricity_exporting_kwh"
UNIT_GAS: Final = "gas_kwh"  # gas tariffs price kWh too (after the m³ conversion)
# What a tariff's `unit` says: the fuel and direction it prices.
UNIT_TO_FLOW: Final[dict[str, tuple[Fuel, Direction]]] = {
    UNIT_IMPORT: (Fuel.ELECTRICITY, Direction.IMPORT),
    UNIT_EXPORT: (Fuel.ELECTRICITY, Direction.EXPORT),
    UNIT_GAS: (Fuel.GAS, Direction.IMPORT),
}
FLOW_TO_UNIT: Final = {flow: unit for unit, flow in UNIT_TO_FLOW.items()}
UNIT_TO_DIRECTION: Final = {unit: flow[1] for unit, flow in UNIT_TO_FLOW.items()}
DIRECTION_TO_UNIT: Final = {Direction.IMPORT: UNIT_IMPORT, Direction.EXPORT: UNIT_EXPORT}
FLOWS: Final = tuple(UNIT_TO_FLOW.values())
