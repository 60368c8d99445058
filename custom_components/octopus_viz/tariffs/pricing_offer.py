"""Which meters to offer once custom tariffs were added or imported (pure, no Home Assistant).

The options flow asks one question after a new or imported tariff: which meters it prices.
Offered are the meters of the new tariffs' flows (a gas tariff offers the gas meters), one per
MPAN; the answer becomes each offered meter's tariff source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .keys import TARIFF_SOURCE_ACCOUNT, TARIFF_SOURCE_CUSTOM
from .options import FollowedMeter, custom_meters, meter_points, tariff_flows


@dataclass(frozen=True, slots=True)
class PricingOffer:
    """After custom tariffs were added or imported: the meters they could price.

    `meters` are the meters of the new tariffs' flows, one per MPAN (a gas tariff offers the
    gas meters); `preselected` are the MPANs to tick: those already custom, those the
    imported document names, and every meter whose flow had no custom tariff before (a first
    tariff is meant to be used).
    """

    meters: list[FollowedMeter]
    preselected: list[str]
    custom: frozenset[str]

    @property
    def worth_asking(self) -> bool:
        """Some offered meter is not priced by custom tariffs yet."""
        return any(m.mpan not in self.custom for m in self.meters)

    def sources(self, current: Mapping[str, str], chosen: Iterable[str]) -> dict[str, str]:
        """`current` with each offered meter custom when chosen, else the account's."""
        return sources_with(current, self.meters, chosen)


def sources_with(
    current: Mapping[str, str], offered: Iterable[FollowedMeter], chosen: Iterable[str]
) -> dict[str, str]:
    """`current` with each offered meter custom when its MPAN was chosen, else the account's.

    Meters not offered (e.g. no longer followed) keep their stored choice.
    """
    picked = set(chosen)
    result = dict(current)
    for meter in offered:
        mine = meter.mpan in picked
        result[meter.mpan] = TARIFF_SOURCE_CUSTOM if mine else TARIFF_SOURCE_ACCOUNT
    return result


def pricing_offer(
    meters: Sequence[FollowedMeter],
    sources: Mapping[str, str],
    before: Iterable[Mapping[str, Any]],
    added: Iterable[Mapping[str, Any]],
    named: Iterable[str] = (),
) -> PricingOffer:
    """What to offer once the tariffs `added` join or replace the custom tariffs `before`."""
    had = tariff_flows(before)
    flows = tariff_flows(added)
    custom = set(custom_meters(meters, sources))
    wanted = custom | set(named)
    offered = [m for m in meter_points(meters) if m.key in flows]
    preselected = [m.mpan for m in offered if m.mpan in wanted or m.key not in had]
    return PricingOffer(offered, preselected, frozenset(custom))
