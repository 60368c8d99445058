"""The SQLite half-hour cache: upserts, prices, metadata, persistence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
import sqlite3

from custom_components.octopus_viz.history.cache import (
    ReadingCache,
    remove_cache_file,
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
