"""On-disk cache of half-hourly readings, one SQLite file per config entry.

Why SQLite (through the executor) rather than HA's JSON `Store`: the cache holds years of half-hours
(~105,000 for 3 years of import + export). A `Store` rewrites the whole file on every save, while
SQLite rewrites only the blocks a poll touches, commits atomically (a restart in the middle of a
backfill keeps every committed batch and nothing half-written), and reads a meter back in one
indexed scan. Every method here blocks, so callers run them in the executor; a lock serialises
the executor threads that share the connection.

Why blocks (schema 3): schema 2 kept one row per half-hour, and the work per row made re-pricing
3 years of a meter (52,560 `UPDATE`s) cost 55-90 ms, half of the whole re-pricing, a first
backfill's upserts 50-80 ms and `load` 30-50 ms. Now a meter's half-hours live in blocks of
BLOCK_SLOTS consecutive slots (see cache_blocks), one row per (mpan, block) of typed-array blobs:
kWh float64 (NaN = no reading), priced uint8, money units int64 (JSON text of the integers for a
block where one does not fit int64) and one money scale per block. A write reads the blocks its
starts fall in (one SELECT), patches them by slice assignment and writes them back (one
executemany). benchmarks/cache_bench.py prints the figures: for 3 years, upserts ~3.3 ms,
set_money ~2.8 ms, load ~1.6 ms (15-20x less; what remains is mostly SQLite writing the pages).

Migration: a schema-1 file (prices as Decimal text) is first brought to schema 2 (integer units
per row), and schema 2 is packed into blocks, all in the transaction that opens the file; every
value, unpriced half-hours and prices beyond int64 included, stays exact.

Pure Python: no Home Assistant import.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
import json
from pathlib import Path
import sqlite3
import threading
from typing import Any

from ..tariffs.money import MONEY_SCALE, MoneyColumn, fits_int64, int_column, text_units
from .cache_blocks import Block, assemble, check_finite, pieces, runs

SCHEMA_VERSION = 3

# One row per (meter, block of BLOCK_SLOTS half-hours); the blobs are little-endian. `units`
# has no declared type on purpose: SQLite keeps what it is given, a blob or (a block holding a
# value too large for int64) JSON text of its integers.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS blocks (
    mpan TEXT NOT NULL,
    block INTEGER NOT NULL,      -- slot i starts at (block * BLOCK_SLOTS + i) * 1800 UTC epoch s
    kwh BLOB NOT NULL,           -- float64 per slot, NaN = no reading
    priced BLOB NOT NULL,        -- uint8 per slot, 0 = not priced yet or unpriced
    units NOT NULL,              -- int64 per slot: its price in 10**-scale currency units
    scale INTEGER NOT NULL,
    readings INTEGER NOT NULL,   -- how many slots hold a reading
    PRIMARY KEY (mpan, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

# The half-hour rows of schema 2, only made while migrating a schema-1 file.
_SCHEMA_2_READINGS = """
CREATE TABLE readings (
    mpan TEXT NOT NULL, start INTEGER NOT NULL, kwh REAL NOT NULL, units, scale INTEGER,
    PRIMARY KEY (mpan, start)
) WITHOUT ROWID
"""

type MoneyRows = MoneyColumn | Sequence[Decimal | None]
# Patches one block: (block, first slot, lo, hi) with lo..hi-1 indexes into the given columns.
type _Patch = Callable[[Block, int, int, int], None]


class ReadingCache:
    """Half-hour readings and small JSON metadata for one config entry."""

    def __init__(self, path: Path) -> None:
        """Remember where the file lives; nothing is opened until first use."""
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self._path

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            # A household's consumption: readable by its owner only (SQLite gives the -wal
            # and -shm files the same mode). chmod too, for files made before this rule.
            self._path.touch(mode=0o600, exist_ok=True)
            self._path.chmod(0o600)
            conn = sqlite3.connect(self._path, check_same_thread=False)
            # WAL keeps readers cheap and a crash mid-write cannot corrupt committed rows.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # migrations, once and atomically
                version = _stored_version(conn)
                _create_tables(conn)
                if version == 1:
                    _migrate_from_1(conn)
                if version in {1, 2}:
                    _migrate_from_2(conn)
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (json.dumps(SCHEMA_VERSION),),
                )
            self._conn = conn
        return self._conn

    def load(self, mpan: str) -> tuple[array[int], array[float], MoneyColumn]:
        """All cached half-hours of a meter as typed columns (starts, kwh, money), oldest
        first: only the half-hours holding a reading.

        Prices are kept with the readings so a restart needs no re-pricing.
        """
        with self._lock:
            rows = (
                self._connection()
                .execute(
                    "SELECT block, kwh, priced, units, scale FROM blocks WHERE mpan = ? "
                    "ORDER BY block",
                    (mpan,),
                )
                .fetchall()
            )
        return assemble([(number, Block.decode(tuple(row))) for number, *row in rows])

    def set_values(self, mpan: str, values: Mapping[int, Decimal | None]) -> None:
        """Store the prices of half-hours by start (after pricing or re-pricing)."""
        self.set_money(mpan, list(values), MoneyColumn.from_decimals(list(values.values())))

    def set_money(self, mpan: str, starts: Sequence[int], money: MoneyColumn) -> None:
        """Store the prices of the half-hours starting at `starts` (parallel to `money`).

        Only half-hours holding a reading change: a start without one is ignored.
        """
        column = array("q", starts)
        if len(column) != len(money):
            raise ValueError("columns differ in length")

        def patch(block: Block, slot: int, lo: int, hi: int) -> None:
            block.write_money(slot, money.slice(lo, hi))

        with self._lock:
            conn = self._connection()
            with conn:
                _patch_blocks(conn, mpan, column, patch, create=False)

    def upsert(
        self,
        mpan: str,
        rows: tuple[Sequence[int], Sequence[float], MoneyRows],
        meta: dict[str, Any] | None = None,
    ) -> None:
        """Insert or replace readings (starts, kWh, money columns) and metadata, in one
        transaction.

        The caller sends only what changed (see columns.merge), so a re-fetch window of
        unchanged readings writes nothing. Only the blocks the starts fall in are read and
        rewritten. Money may be given as Decimals (None = unpriced); a start given twice
        keeps its last values. Starts must be half-hour boundaries and kWh finite.
        """
        starts, kwh, values = rows
        money = values if isinstance(values, MoneyColumn) else MoneyColumn.from_decimals(values)
        start_column, kwh_column = array("q", starts), array("d", kwh)
        if len(start_column) != len(money) or len(kwh_column) != len(money):
            raise ValueError("columns differ in length")
        check_finite(kwh_column)

        def patch(block: Block, slot: int, lo: int, hi: int) -> None:
            block.write(slot, kwh_column[lo:hi], money.slice(lo, hi))

        with self._lock:
            conn = self._connection()
            with conn:
                _patch_blocks(conn, mpan, start_column, patch, create=True, scale=money.scale)
                self._write_meta(conn, meta or {})

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A JSON value stored under `key`."""
        with self._lock:
            row = (
                self._connection()
                .execute("SELECT value FROM meta WHERE key = ?", (key,))
                .fetchone()
            )
            return default if row is None else json.loads(row[0])

    def set_meta(self, values: dict[str, Any]) -> None:
        """Store JSON values (None deletes the key) in one transaction."""
        with self._lock:
            conn = self._connection()
            with conn:
                self._write_meta(conn, values)

    @staticmethod
    def _write_meta(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, separators=(",", ":"))),
                )

    def delete_meters(self, keep: Iterable[str]) -> int:
        """Drop readings of meters no longer followed; returns the number of half-hours
        removed."""
        keep_list = list(keep)
        marks = ",".join("?" * len(keep_list)) or "''"
        others = f"FROM blocks WHERE mpan NOT IN ({marks})"  # placeholders only, no value
        with self._lock:
            conn = self._connection()
            with conn:
                (removed,) = conn.execute(
                    f"SELECT COALESCE(SUM(readings), 0) {others}", keep_list
                ).fetchone()
                conn.execute(f"DELETE {others}", keep_list)
            return int(removed)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _patch_blocks(
    conn: sqlite3.Connection,
    mpan: str,
    starts: array[int],
    patch: _Patch,
    *,
    create: bool,
    scale: int = MONEY_SCALE,
) -> None:
    """Read the blocks `starts` fall in (one SELECT), patch them run by run, write them back
    (one executemany). Without `create`, slots of blocks that do not exist are skipped."""
    cut = [piece for lo, hi in runs(starts) for piece in pieces(starts, lo, hi)]
    if not cut:
        return
    numbers = {piece[0] for piece in cut}
    stored = conn.execute(
        "SELECT block, kwh, priced, units, scale FROM blocks "
        "WHERE mpan = ? AND block BETWEEN ? AND ?",
        (mpan, min(numbers), max(numbers)),
    )
    blocks = {number: Block.decode(tuple(row)) for number, *row in stored if number in numbers}
    for number, slot, lo, hi in cut:
        block = blocks.get(number)
        if block is None:
            if not create:
                continue
            block = blocks[number] = Block.empty(scale)
        patch(block, slot, lo, hi)
    conn.executemany(
        "INSERT OR REPLACE INTO blocks(mpan, block, kwh, priced, units, scale, readings) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((mpan, number, *block.encode(), block.count()) for number, block in blocks.items()),
    )


def _create_tables(conn: sqlite3.Connection) -> None:
    # Statement by statement: executescript would commit the caller's transaction.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _stored_version(conn: sqlite3.Connection) -> int | None:
    """The schema version of an existing file (None for a new one)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if "meta" not in tables:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(json.loads(row[0]))


def _migrate_from_1(conn: sqlite3.Connection) -> None:
    """Prices of schema 1 (Decimal text) become integer units of schema 2's rows, in the
    caller's transaction."""
    conn.execute("ALTER TABLE readings RENAME TO readings_v1")
    conn.execute(_SCHEMA_2_READINGS)
    old = conn.execute("SELECT mpan, start, kwh, value FROM readings_v1")
    conn.executemany(
        "INSERT INTO readings(mpan, start, kwh, units, scale) VALUES (?, ?, ?, ?, ?)",
        ((mpan, start, energy, *_text_price(value)) for mpan, start, energy, value in old),
    )
    conn.execute("DROP TABLE readings_v1")


def _text_price(value: str | None) -> tuple[int | str | None, int | None]:
    if value is None:
        return None, None
    units, scale = text_units(value)
    return (units if fits_int64(units) else str(units)), scale


def _migrate_from_2(conn: sqlite3.Connection) -> None:
    """Schema 2's row per half-hour packed into blocks, meter by meter, in the caller's
    transaction."""
    mpans = [row[0] for row in conn.execute("SELECT DISTINCT mpan FROM readings")]
    for mpan in mpans:
        starts, kwh = array("q"), array("d")
        units: list[int] = []
        scales = array("b")
        priced = array("B")
        rows = conn.execute(
            "SELECT start, kwh, units, scale FROM readings WHERE mpan = ? ORDER BY start", (mpan,)
        )
        for start, energy, value, scale in rows:
            starts.append(start)
            kwh.append(energy)
            # NULL scale: not priced yet or unpriced; a price beyond int64 was kept as text.
            units.append(0 if scale is None else int(value))
            scales.append(scale or 0)
            priced.append(scale is not None)
        money = _money_column(units, scales, priced)

        def patch(block: Block, slot: int, lo: int, hi: int) -> None:
            block.write(slot, kwh[lo:hi], money.slice(lo, hi))  # noqa: B023 - used at once

        _patch_blocks(conn, mpan, starts, patch, create=True, scale=money.scale)
    conn.execute("DROP TABLE readings")


def _money_column(units: list[int], scales: array[int], priced: array[int]) -> MoneyColumn:
    """Rows read back, each at its own scale, as one column at the largest of them."""
    scale = max(scales, default=MONEY_SCALE)
    if any(
        row_scale != scale for row_scale, is_priced in zip(scales, priced, strict=True) if is_priced
    ):
        units = [u * 10 ** (scale - s) for u, s in zip(units, scales, strict=True)]
    return MoneyColumn(int_column(units), priced, scale)


def remove_cache_file(path: Path) -> None:
    """Delete a cache file and its WAL companions (entry removed)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)
