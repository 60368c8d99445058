"""A fake Octopus Energy REST API for tests, benchmarks and the demo Home Assistant instance.

It serves one deterministic demo account (import and solar export half hours, a SMETS2 gas
meter in m³, tariffs of the variable (electricity and gas), Flux, Agile and Outgoing products)
with the real API's shapes and quirks, the products catalogue a tariff comparison reads (Go,
Intelligent Go, Cosy, Tracker, a fixed product, regional prices, meter points with their
region), and lets tests inject faults and inspect requests (and add SMETS1 or empty gas
meters). See `FakeOctopus`.
"""

from __future__ import annotations

from .demo import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_PROPERTY_MPAN,
    DEMO_OLD_PROPERTY_SERIAL,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
)
from .faults import FAULT_KINDS
from .gas import DEMO_GAS_MPRN, DEMO_GAS_SERIAL
from .server import FakeOctopus, RecordedRequest

__all__ = [
    "DEMO_ACCOUNT_NUMBER",
    "DEMO_API_KEY",
    "DEMO_EXPORT_MPAN",
    "DEMO_GAS_MPRN",
    "DEMO_GAS_SERIAL",
    "DEMO_IMPORT_MPAN",
    "DEMO_OLD_PROPERTY_MPAN",
    "DEMO_OLD_PROPERTY_SERIAL",
    "DEMO_OLD_SERIAL",
    "DEMO_SERIAL",
    "FAULT_KINDS",
    "FakeOctopus",
    "RecordedRequest",
]
