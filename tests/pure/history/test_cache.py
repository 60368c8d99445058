"""The SQLite half-hour cache: upserts, prices, metadata, persistence."""

from __future__ import annotations

from array import array
from decimal import Decimal
import json
from pathlib import Path
import sqlite3
import struct

import pytest

from custom_components.octopus_viz.history.cache import (
    ReadingCache,
    remove_cache_file,
)
from custom_components.octopus_viz.history.cache_blocks import (
    BLOCK_SLOTS,
    SLOT_SECONDS,
    block_starts,
    runs,
)
from custom_components.octopus_viz.tariffs.money import MoneyColumn


def test_upsert_load_and_persist(tmp_path: Path) -> None:
    """Readings and prices survive closing and reopening; revisions replace old values."""
    path = tmp_path / "sub" / "entry.sqlite3"
    cache = ReadingCache(path)
    cache.upsert("A", ([1800, 0], [0.5, 0.25], [Decimal("0.15"), None]), {"k": {"x": 1}})
    cache.upsert("B", ([0], [9.0], [Decimal(1)]))
    cache.upsert("A", ([1800], [0.75], [Decimal("0.225")]))
    cache.close()
    cache.close()  # idempotent

    reopened = ReadingCache(path)
    assert reopened.path == path
    starts, kwh, money = reopened.load("A")
    assert (list(starts), list(kwh), money.decimals()) == (
        [0, 1800],
        [0.25, 0.75],
        [None, Decimal("0.225")],
    )
    assert reopened.get_meta("k") == {"x": 1}
    assert reopened.get_meta("missing", 7) == 7
    reopened.set_values("A", {0: Decimal("0.1"), 1800: None})
    assert reopened.load("A")[2].decimals() == [Decimal("0.1"), None]
    reopened.set_meta({"k": None, "j": [1, 2]})
    assert reopened.get_meta("k") is None
    assert reopened.get_meta("j") == [1, 2]
    assert reopened.delete_meters(["A"]) == 1
    assert [len(column) for column in reopened.load("B")] == [0, 0, 0]
    reopened.close()
    remove_cache_file(path)
    assert not path.exists()


def _schema_1_file(path: Path) -> None:
    """A cache file as schema 1 wrote it: prices as Decimal text."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE readings (mpan TEXT NOT NULL, start INTEGER NOT NULL, kwh REAL NOT NULL,
            value TEXT, PRIMARY KEY (mpan, start)) WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta VALUES ('schema_version', '1'), ('pending:A', '{"energy": 0}');
        """
    )
    conn.executemany(
        "INSERT INTO readings VALUES (?, ?, ?, ?)",
        [
            ("A", 0, 0.5, "0.0125"),
            ("A", 1800, 0.25, None),
            ("A", 3600, 1.0, "-1E+1"),
            ("A", 5400, 2.0, "123456789012345678901234.5"),
            ("B", 0, 0.75, "0.123456789012"),
        ],
    )
    conn.commit()
    conn.close()


def test_schema_1_file_is_migrated_exactly(tmp_path: Path) -> None:
    """An existing cache keeps every reading and price (exact, even beyond int64), once."""
    path = tmp_path / "old.sqlite3"
    _schema_1_file(path)
    cache = ReadingCache(path)
    starts, kwh, money = cache.load("A")
    assert list(starts) == [0, 1800, 3600, 5400]
    assert list(kwh) == [0.5, 0.25, 1.0, 2.0]
    assert money.decimals() == [
        Decimal("0.0125"),
        None,
        Decimal(-10),
        Decimal("123456789012345678901234.5"),
    ]
    assert cache.load("B")[2].decimals() == [Decimal("0.123456789012")]
    assert cache.get_meta("pending:A") == {"energy": 0}
    assert cache.get_meta("schema_version") == 3
    cache.upsert("A", ([7200], [0.1], MoneyColumn.from_decimals([Decimal("0.3")])))
    cache.close()
    reopened = ReadingCache(path)  # migrated once: opening again changes nothing
    assert reopened.load("A")[2].decimals()[-2:] == [
        Decimal("123456789012345678901234.5"),
        Decimal("0.3"),
    ]
    reopened.close()


def test_money_columns_round_trip(tmp_path: Path) -> None:
    """Integer money is stored and read back as it was, at mixed scales."""
    cache = ReadingCache(tmp_path / "c.sqlite3")
    fine = MoneyColumn.from_decimals([Decimal("0.000000000001"), None])
    cache.upsert("A", ([0, 1800], [1.0, 2.0], fine))
    cache.upsert("A", ([3600], [3.0], MoneyColumn.from_decimals([Decimal("2.5")])))
    starts, _kwh, money = cache.load("A")
    assert money.decimals() == [Decimal("0.000000000001"), None, Decimal("2.5")]
    cache.set_money("A", [1800], MoneyColumn.from_decimals([Decimal(-1)]))
    assert cache.load("A")[2].value(1) == Decimal(-1)
    assert list(starts) == [0, 1800, 3600]
    cache.close()


def test_cache_files_are_private(tmp_path: Path) -> None:
    """A household's consumption: the file and its WAL are readable by the owner only, also
    when the file was made with wider permissions before."""
    path = tmp_path / "entry.sqlite3"
    cache = ReadingCache(path)
    cache.upsert("A", ([0], [0.5], MoneyColumn.from_decimals([None])))
    files = [path, path.with_name(path.name + "-wal")]
    assert [p.stat().st_mode & 0o777 for p in files] == [0o600, 0o600]
    cache.close()

    path.chmod(0o644)
    reopened = ReadingCache(path)
    assert list(reopened.load("A")[1]) == [0.5]
    assert path.stat().st_mode & 0o777 == 0o600
    reopened.close()


_BLOCK = BLOCK_SLOTS * SLOT_SECONDS  # seconds a block spans


def _schema_2_file(path: Path) -> None:
    """A cache file as schema 2 wrote it: one row per half-hour, integer units per row."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE readings (mpan TEXT NOT NULL, start INTEGER NOT NULL, kwh REAL NOT NULL,
            units, scale INTEGER, PRIMARY KEY (mpan, start)) WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta VALUES ('schema_version', '2'), ('pending:A', '{"money": 1800}');
        """
    )
    conn.executemany(
        "INSERT INTO readings VALUES (?, ?, ?, ?, ?)",
        [
            ("A", _BLOCK - 1800, 0.5, 125, 4),  # last slot of block 0, 0.0125
            ("A", _BLOCK, 0.25, None, None),  # first slot of block 1, unpriced
            ("A", _BLOCK + 1800, 1.0, -10, 0),
            ("A", 3 * _BLOCK, 2.0, "1234567890123456789012345", 1),  # beyond int64, as text
            ("A", -1800, 0.125, 123456789012, 12),  # a negative start: block -1
            ("B", 0, 0.75, 7, 11),
        ],
    )
    conn.commit()
    conn.close()


def test_schema_2_file_is_migrated_exactly(tmp_path: Path) -> None:
    """Rows of schema 2 (unpriced ones, mixed scales, a price beyond int64) are packed into
    blocks once, every value exact; the metadata stays."""
    path = tmp_path / "v2.sqlite3"
    _schema_2_file(path)
    cache = ReadingCache(path)
    starts, kwh, money = cache.load("A")
    assert list(starts) == [-1800, _BLOCK - 1800, _BLOCK, _BLOCK + 1800, 3 * _BLOCK]
    assert list(kwh) == [0.125, 0.5, 0.25, 1.0, 2.0]
    assert money.decimals() == [
        Decimal("0.123456789012"),
        Decimal("0.0125"),
        None,
        Decimal(-10),
        Decimal("123456789012345678901234.5"),
    ]
    assert cache.load("B")[2].decimals() == [Decimal("0.00000000007")]
    assert cache.get_meta("pending:A") == {"money": 1800}
    assert cache.get_meta("schema_version") == 3
    cache.close()
    conn = sqlite3.connect(path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    blocks = conn.execute(
        "SELECT mpan, block, readings FROM blocks ORDER BY mpan, block"
    ).fetchall()
    conn.close()
    assert "readings" not in tables
    assert blocks == [("A", -1, 1), ("A", 0, 1), ("A", 1, 2), ("A", 3, 1), ("B", 0, 1)]
    reopened = ReadingCache(path)  # migrated once: opening again changes nothing
    assert reopened.load("A")[2].decimals()[-1] == Decimal("123456789012345678901234.5")
    assert reopened.delete_meters(["B"]) == 5
    reopened.close()


def _raw_block(path: Path, block: int) -> tuple[bytes, bytes, bytes | str, int, int]:
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT kwh, priced, units, scale, readings FROM blocks WHERE mpan = 'A' AND block = ?",
        (block,),
    ).fetchone()
    conn.close()
    return row


def test_block_layout_is_portable(tmp_path: Path) -> None:
    """Blobs are little-endian float64/uint8/int64 per slot (NaN where no reading); a block
    whose prices do not fit int64 keeps them exact as JSON text, and goes back to a blob once
    they do."""
    path = tmp_path / "c.sqlite3"
    cache = ReadingCache(path)
    cache.upsert("A", ([_BLOCK + 3600], [1.5], [Decimal("0.25")]))
    kwh, priced, units, scale, readings = _raw_block(path, 1)
    assert (len(kwh), len(priced), scale, readings) == (8 * BLOCK_SLOTS, BLOCK_SLOTS, 11, 1)
    assert struct.unpack_from("<d", kwh, 16) == (1.5,)
    assert struct.unpack_from("<d", kwh, 8)[0] != struct.unpack_from("<d", kwh, 8)[0]  # NaN
    assert isinstance(units, bytes)
    assert struct.unpack_from("<q", units, 16) == (25 * 10**9,)
    assert priced[1:3] == b"\x00\x01"

    huge = Decimal(2**64)
    cache.set_money("A", [_BLOCK + 3600], MoneyColumn.from_decimals([huge]))
    units = _raw_block(path, 1)[2]
    assert isinstance(units, str)
    assert json.loads(units)[2] == 2**64 * 10**11
    assert cache.load("A")[2].decimals() == [huge]
    cache.set_money("A", [_BLOCK + 3600], MoneyColumn.from_decimals([Decimal(1)]))
    assert isinstance(_raw_block(path, 1)[2], bytes)
    assert cache.load("A")[2].decimals() == [Decimal(1)]
    cache.close()


def test_set_money_skips_half_hours_without_a_reading(tmp_path: Path) -> None:
    """Prices for starts without a reading are ignored, in an existing block and in a block
    that does not exist; those slots stay unpriced in the file."""
    path = tmp_path / "c.sqlite3"
    cache = ReadingCache(path)
    cache.upsert("A", ([0, 3600], [1.0, 2.0], [None, None]))
    values = MoneyColumn.from_decimals([Decimal(1), Decimal(2), Decimal(3), Decimal(4)])
    cache.set_money("A", [0, 1800, 3600, 5 * _BLOCK], values)
    starts, _kwh, money = cache.load("A")
    assert (list(starts), money.decimals()) == ([0, 3600], [Decimal(1), Decimal(3)])
    assert _raw_block(path, 0)[1][:3] == b"\x01\x00\x01"
    assert _raw_block(path, 5) is None
    cache.close()


def test_a_window_across_blocks_revises_in_place(tmp_path: Path) -> None:
    """A long consecutive window fills whole blocks; a revision of part of it keeps the rest."""
    cache = ReadingCache(tmp_path / "c.sqlite3")
    count = 3 * BLOCK_SLOTS + 10
    first = 7 * _BLOCK - 5 * SLOT_SECONDS
    starts = [first + i * SLOT_SECONDS for i in range(count)]
    cache.upsert("A", (starts, [i / 1000 for i in range(count)], MoneyColumn.unpriced(count)))
    cache.upsert("A", (starts[3:8], [9.0] * 5, [Decimal("0.5")] * 5))
    loaded, kwh, money = cache.load("A")
    assert list(loaded) == starts
    assert list(kwh) == [i / 1000 for i in range(3)] + [9.0] * 5 + [
        i / 1000 for i in range(8, count)
    ]
    assert money.unpriced_count() == count - 5
    assert money.decimals()[3:8] == [Decimal("0.5")] * 5
    assert cache.delete_meters([]) == count
    cache.close()


def test_invalid_rows_are_refused(tmp_path: Path) -> None:
    """Starts off the half-hour grid, non-finite kWh and columns of different lengths raise
    before anything is written."""
    cache = ReadingCache(tmp_path / "c.sqlite3")
    with pytest.raises(ValueError, match="half-hour"):
        cache.upsert("A", ([0, 900], [1.0, 1.0], [None, None]))
    with pytest.raises(ValueError, match="finite"):
        cache.upsert("A", ([0], [float("nan")], [None]))
    with pytest.raises(ValueError, match="length"):
        cache.upsert("A", ([0, 1800], [1.0], [None, None]))
    with pytest.raises(ValueError, match="length"):
        cache.set_money("A", [0, 1800], MoneyColumn.unpriced(1))
    assert [len(column) for column in cache.load("A")] == [0, 0, 0]
    cache.close()


def test_empty_writes_still_commit_the_metadata(tmp_path: Path) -> None:
    """An upsert of no half-hour writes its metadata (the pending marker) and no block."""
    cache = ReadingCache(tmp_path / "c.sqlite3")
    cache.upsert("A", ([], [], []), {"pending:A": {"energy": None}})
    cache.set_money("A", [], MoneyColumn.empty())
    assert cache.get_meta("pending:A") == {"energy": None}
    assert [len(column) for column in cache.load("A")] == [0, 0, 0]
    assert cache.delete_meters([]) == 0
    cache.close()


@pytest.mark.parametrize("number", [-2, -1, 0, 1, 1_672_531_200 // _BLOCK, 2**63 // _BLOCK - 1])
def test_block_starts_are_each_slots_start(number: int) -> None:
    """The packed big-integer construction equals the plain one (negative blocks included)."""
    first = number * _BLOCK
    assert block_starts(number) == array("q", range(first, first + _BLOCK, SLOT_SECONDS))


def test_runs_of_starts() -> None:
    """Consecutive starts make one run; same ends but another order, repeats or gaps split."""
    consecutive = array("q", range(-5 * 1800, 3000 * 1800, 1800))
    assert runs(consecutive) == [(0, len(consecutive))]
    assert runs(array("q", [0, 3600, 1800, 5400])) == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert runs(array("q", [0, 1800, 1800, 3600, 9000])) == [(0, 2), (2, 4), (4, 5)]
    assert runs(array("q")) == []
