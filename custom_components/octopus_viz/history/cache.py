"""On-disk cache of half-hourly readings, one SQLite file per config entry.

Why SQLite (through the executor) rather than HA's JSON `Store`: the cache holds years of half-hours
(~105,000 rows for 3 years of import + export). A `Store` rewrites the whole file on every save,
while SQLite upserts only the rows a poll brings, commits atomically (a restart in the middle of a
backfill keeps every committed batch and nothing half-written), and reads a meter back in one
indexed scan. Every method here blocks, so callers run them in the executor; a lock serialises
the executor threads that share the connection.

Pure Python: no Home Assistant import.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
import json
from pathlib import Path
import sqlite3
import threading
from typing import Any

from ..tariffs.money import MONEY_SCALE, MoneyColumn, fits_int64, int_column, text_units

SCHEMA_VERSION = 2

# Money is an exact integer count of 10**-scale currency units (see tariffs.money). `units`
# has no declared type on purpose: SQLite then keeps what it is given, an int64 or, for a
# value too large for one, its decimal text (a declared INTEGER would turn that into a float).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS readings (
    mpan TEXT NOT NULL,
    start INTEGER NOT NULL,      -- UTC epoch seconds of the half-hour's start
    kwh REAL NOT NULL,
    units,                       -- its price in 10**-scale currency units
    scale INTEGER,               -- NULL = not priced yet or unpriced
    PRIMARY KEY (mpan, start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

type MoneyRows = MoneyColumn | Sequence[Decimal | None]


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
            with conn:
                # Schema 1 kept each price as Decimal text: converted once, atomically.
                if _stored_version(conn) == 1:
                    _migrate_from_1(conn)
                _create_tables(conn)
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (json.dumps(SCHEMA_VERSION),),
                )
            self._conn = conn
        return self._conn

    def load(self, mpan: str) -> tuple[array[int], array[float], MoneyColumn]:
        """All cached half-hours of a meter as typed columns (starts, kwh, money), oldest
        first.

        Prices are kept with the readings so a restart needs no re-pricing.
        """
        with self._lock:
            rows = self._connection().execute(
                "SELECT start, kwh, units, scale FROM readings WHERE mpan = ? ORDER BY start",
                (mpan,),
            )
            starts: array[int] = array("q")
            kwh: array[float] = array("d")
            units: list[int] = []
            scales = array("b")
            priced = array("B")
            for start, energy, value, scale in rows:
                starts.append(start)
                kwh.append(energy)
                if scale is None:
                    units.append(0)
                    scales.append(0)
                    priced.append(0)
                else:
                    units.append(value if type(value) is int else int(value))
                    scales.append(scale)
                    priced.append(1)
        return starts, kwh, _money_column(units, scales, priced)

    def set_values(self, mpan: str, values: Mapping[int, Decimal | None]) -> None:
        """Store the prices of half-hours by start (after pricing or re-pricing)."""
        self.set_money(mpan, list(values), MoneyColumn.from_decimals(list(values.values())))

    def set_money(self, mpan: str, starts: Sequence[int], money: MoneyColumn) -> None:
        """Store the prices of the half-hours starting at `starts` (parallel to `money`)."""
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany(
                    "UPDATE readings SET units = ?, scale = ? WHERE mpan = ? AND start = ?",
                    zip(*_price_params(money), repeat(mpan), starts),
                )

    def upsert(
        self,
        mpan: str,
        rows: tuple[Sequence[int], Sequence[float], MoneyRows],
        meta: dict[str, Any] | None = None,
    ) -> None:
        """Insert or replace readings (starts, kWh, money columns) and metadata, in one
        transaction.

        The caller sends only what changed (see columns.merge), so a re-fetch window of
        unchanged readings writes nothing. Parameters are generated row by row, never held
        as a list of 100,000 tuples. Money may be given as Decimals (None = unpriced).
        """
        starts, kwh, values = rows
        money = values if isinstance(values, MoneyColumn) else MoneyColumn.from_decimals(values)
        if len(starts) != len(money) or len(kwh) != len(money):
            raise ValueError("columns differ in length")
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany(
                    "INSERT INTO readings(mpan, start, kwh, units, scale) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(mpan, start) DO UPDATE SET kwh = excluded.kwh, "
                    "units = excluded.units, scale = excluded.scale",
                    zip(repeat(mpan), starts, kwh, *_price_params(money)),
                )
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
        """Drop readings of meters no longer followed; returns the number of rows removed."""
        keep_list = list(keep)
        with self._lock:
            conn = self._connection()
            marks = ",".join("?" * len(keep_list)) or "''"
            with conn:
                cursor = conn.execute(
                    f"DELETE FROM readings WHERE mpan NOT IN ({marks})",  # noqa: S608 - placeholders only
                    keep_list,
                )
            return cursor.rowcount

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _price_params(money: MoneyColumn) -> tuple[Iterable[int | str | None], Iterable[int | None]]:
    """The units and scale parameters of each half-hour, zipped in C when every one is
    priced and fits in int64 (the usual case): no tuple made per row here."""
    units, priced, scale = money.units, money.priced, money.scale
    if isinstance(units, array) and priced.count(0) == 0:
        return units, repeat(scale, len(units))
    bound = [
        _bound(value, scale, is_priced) for value, is_priced in zip(units, priced, strict=True)
    ]
    return [b[0] for b in bound], [b[1] for b in bound]


def _bound(units: int, scale: int, priced: int) -> tuple[int | str | None, int | None]:
    """SQL parameters of one price: (units, scale), text for what int64 cannot hold."""
    if not priced:
        return None, None
    return (units if fits_int64(units) else str(units)), scale


def _money_column(units: list[int], scales: array[int], priced: array[int]) -> MoneyColumn:
    """Rows read back, each at its own scale, as one column at the largest of them."""
    scale = max(scales, default=MONEY_SCALE)
    if any(
        row_scale != scale for row_scale, is_priced in zip(scales, priced, strict=True) if is_priced
    ):
        units = [u * 10 ** (scale - s) for u, s in zip(units, scales, strict=True)]
    return MoneyColumn(int_column(units), priced, scale)


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
    """Prices of schema 1 (Decimal text) become integer units, in the caller's transaction."""
    conn.execute("ALTER TABLE readings RENAME TO readings_v1")
    _create_tables(conn)
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
    return _bound(units, scale, 1)


def remove_cache_file(path: Path) -> None:
    """Delete a cache file and its WAL companions (entry removed)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)
