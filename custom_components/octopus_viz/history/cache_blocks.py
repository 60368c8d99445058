"""Blocks of consecutive half-hour slots: the reading cache's unit of storage (schema 3).

A block holds BLOCK_SLOTS consecutive half-hours of one meter, slot `i` of block `n` starting at
`(n * BLOCK_SLOTS + i) * 1800` UTC epoch seconds, as parallel typed arrays: kWh (float64, a NaN
marks a slot without a reading: parsing never yields a NaN reading), money units (int64, or a
list of Python ints when one does not fit) and a priced flag (uint8), with one money scale for
the whole block. Writes patch blocks with array slice assignment over runs of consecutive
starts, so a backfill window costs a few C-level copies per block, not Python work per
half-hour; only sparse or partly empty ranges fall back to a loop over their slots.

Blobs are little-endian whatever the machine (byteswapped on a big-endian one), so a cache file
is portable. Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import compress
import json
import math
import sys
from typing import Any, Final

from ..tariffs.money import MONEY_SCALE, MoneyColumn, Units, concat, int_column, rescaled

BLOCK_SLOTS: Final = 1024  # ~21 days of half-hours
SLOT_SECONDS: Final = 1800
BLOCK_SECONDS: Final = SLOT_SECONDS * BLOCK_SLOTS

# The one NaN written for "no reading", compared by its bits (NaN != NaN as a float).
_EMPTY_BITS: Final = 0x7FF8_0000_0000_0000
_EMPTY_SLOT: Final = array("q", [_EMPTY_BITS]).tobytes()
_EMPTY_KWH: Final = _EMPTY_SLOT * BLOCK_SLOTS
_BIG_ENDIAN: Final = sys.byteorder == "big"

# A block as stored: (kwh blob, priced blob, units blob or JSON text, scale).
type BlockRow = tuple[bytes, bytes, bytes | str, int]


class Block:
    """One block's slots, patched in place before it is written back."""

    __slots__ = ("kwh", "priced", "scale", "units")

    def __init__(self, kwh: array[float], units: Units, priced: array[int], scale: int) -> None:
        """Wrap the slot columns (each BLOCK_SLOTS long)."""
        self.kwh, self.units, self.priced, self.scale = kwh, units, priced, scale

    @classmethod
    def empty(cls, scale: int = MONEY_SCALE) -> Block:
        """A block without any reading."""
        return cls(
            _from_bytes("d", _EMPTY_KWH),
            array("q", bytes(8 * BLOCK_SLOTS)),
            array("B", bytes(BLOCK_SLOTS)),
            scale,
        )

    @classmethod
    def decode(cls, row: BlockRow) -> Block:
        """A block from its stored columns."""
        kwh, priced, units, scale = row
        column = (
            int_column(json.loads(units)) if isinstance(units, str) else _from_bytes("q", units)
        )
        return cls(_from_bytes("d", kwh), column, array("B", priced), scale)

    def encode(self) -> BlockRow:
        """The stored columns: blobs, or JSON text of the units when int64 cannot hold them."""
        units = self.units
        text = _to_bytes(units) if isinstance(units, array) else json.dumps(units)
        return _to_bytes(self.kwh), self.priced.tobytes(), text, self.scale

    def present(self) -> bytes:
        """One byte per slot, 1 where it holds a reading (computed in C)."""
        return bytes(map(_EMPTY_BITS.__ne__, _bits(self.kwh)))

    def count(self) -> int:
        """How many slots hold a reading."""
        return BLOCK_SLOTS if _full(self.kwh) else BLOCK_SLOTS - _bits(self.kwh).count(_EMPTY_BITS)

    def write(self, slot: int, kwh: array[float], money: MoneyColumn) -> None:
        """Readings and their money into slots slot.. (a new reading or a revision)."""
        self.kwh[slot : slot + len(kwh)] = kwh
        self._write_money(slot, money)

    def write_money(self, slot: int, money: MoneyColumn) -> None:
        """Money into slots slot.., only where a reading is held (others stay empty)."""
        end = slot + len(money)
        if _full(self.kwh[slot:end]):
            self._write_money(slot, money)
            return
        bits = _bits(self.kwh[slot:end])
        held = [i for i, b in enumerate(bits) if b != _EMPTY_BITS]
        if held:
            self._write_money_at([slot + i for i in held], money.pick(held))

    def _common_scale(self, money: MoneyColumn) -> MoneyColumn:
        """Bring the block and the money to the larger of their scales (exact)."""
        scale = max(self.scale, money.scale)
        if self.scale < scale:
            self.units = rescaled(self.units, self.scale, scale)
            self.scale = scale
        return money.at_scale(scale)

    def _write_money(self, slot: int, money: MoneyColumn) -> None:
        money = self._common_scale(_zero_unpriced(money))
        end = slot + len(money)
        self.priced[slot:end] = money.priced
        if isinstance(self.units, array) and isinstance(money.units, array):
            self.units[slot:end] = money.units
        else:
            units = list(self.units)
            units[slot:end] = money.units
            self.units = int_column(units)

    def _write_money_at(self, slots: Sequence[int], money: MoneyColumn) -> None:
        money = self._common_scale(_zero_unpriced(money))
        units = self.units if isinstance(self.units, list) else self.units.tolist()
        for slot, value, priced in zip(slots, money.units, money.priced, strict=True):
            units[slot] = value
            self.priced[slot] = priced
        self.units = int_column(units)


def _zero_unpriced(money: MoneyColumn) -> MoneyColumn:
    """Unpriced slots hold 0 units (MoneyColumn's rule), whatever the caller passed."""
    unpriced = money.priced.tobytes().count(0)  # bytes.count: C, no object per slot
    if not unpriced:
        return money
    if unpriced == len(money):
        return MoneyColumn.unpriced(len(money), money.scale)
    units = int_column([u if p else 0 for u, p in zip(money.units, money.priced, strict=True)])
    return MoneyColumn(units, money.priced, money.scale)


def runs(starts: array[int]) -> list[tuple[int, int]]:
    """Index ranges [lo, hi) of `starts` that are consecutive half-hours, in order.

    One C-level comparison recognises the usual case (a window of consecutive half-hours);
    anything else is split by a loop. Repeated or unordered starts make several runs, applied
    in order so the last value given for a start wins. Raises ValueError for a start that is
    not on a half-hour boundary.
    """
    count = len(starts)
    if not count:
        return []
    first = starts[0]
    if (
        first % SLOT_SECONDS == 0
        and starts[-1] - first == (count - 1) * SLOT_SECONDS
        and all(
            starts[lo:hi] == block_starts(block)[slot : slot + hi - lo]  # memcmp
            for block, slot, lo, hi in pieces(starts, 0, count)
        )
    ):
        return [(0, count)]
    found: list[tuple[int, int]] = []
    lo = 0
    expected = None
    for index, start in enumerate(starts):
        if start % SLOT_SECONDS:
            raise ValueError(f"{start} is not the start of a half-hour")
        if start != expected:
            if index:
                found.append((lo, index))
            lo = index
        expected = start + SLOT_SECONDS
    found.append((lo, count))
    return found


def pieces(starts: array[int], lo: int, hi: int) -> list[tuple[int, int, int, int]]:
    """A run of consecutive starts cut at block boundaries: (block, slot, lo, hi) each."""
    cut: list[tuple[int, int, int, int]] = []
    while lo < hi:
        block, slot = divmod(starts[lo] // SLOT_SECONDS, BLOCK_SLOTS)
        take = min(hi - lo, BLOCK_SLOTS - slot)
        cut.append((block, slot, lo, lo + take))
        lo += take
    return cut


def assemble(
    numbered: Sequence[tuple[int, Block]],
) -> tuple[array[int], array[float], MoneyColumn]:
    """The held slots of blocks (in block order) as columns: whole arrays for full blocks,
    a C-level `compress` for partly filled ones."""
    starts: array[int] = array("q")
    kwh: array[float] = array("d")
    money: list[MoneyColumn] = []
    for number, block in numbered:
        slot_starts = block_starts(number)
        if block.count() == BLOCK_SLOTS:
            starts.extend(slot_starts)
            kwh.extend(block.kwh)
            money.append(MoneyColumn(block.units, block.priced, block.scale))
            continue
        held = block.present()
        starts.extend(array("q", compress(slot_starts, held)))
        kwh.extend(array("d", compress(block.kwh, held)))
        units = int_column(list(compress(block.units, held)))
        money.append(MoneyColumn(units, array("B", compress(block.priced, held)), block.scale))
    return starts, kwh, concat(money) if money else MoneyColumn.empty()


def block_starts(number: int) -> array[int]:
    """The start of each slot of block `number` (UTC epoch seconds)."""
    first = number * BLOCK_SECONDS
    return array("q", range(first, first + BLOCK_SECONDS, SLOT_SECONDS))


def check_finite(kwh: array[float]) -> None:
    """Readings are finite (a NaN would read as "no reading"); one C-level sum checks all."""
    if not math.isfinite(sum(kwh)):
        raise ValueError("kWh readings must be finite numbers")


def _full(kwh: array[float]) -> bool:
    """Whether every slot holds a reading: a byte search in C, no object per slot (a match
    across two slots' bytes only sends the caller to its exact, slower check)."""
    return _EMPTY_SLOT not in kwh.tobytes()


def _bits(kwh: array[float]) -> array[int]:
    """The float64 slots as their int64 bit patterns (machine order, like the floats)."""
    bits = array("q")
    bits.frombytes(kwh.tobytes())
    return bits


def _from_bytes(typecode: str, data: bytes) -> array[Any]:
    column = array(typecode)
    column.frombytes(data)
    if _BIG_ENDIAN:  # pragma: no cover - this project's machines are little-endian
        column.byteswap()
    return column


def _to_bytes(column: array[Any]) -> bytes:
    if _BIG_ENDIAN:  # pragma: no cover - this project's machines are little-endian
        column = array(column.typecode, column)
        column.byteswap()
    return column.tobytes()
