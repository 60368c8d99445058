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

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
import json
from pathlib import Path
import sqlite3
import threading
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS readings (
    mpan TEXT NOT NULL,
    start INTEGER NOT NULL,      -- UTC epoch seconds of the half-hour's start
    kwh REAL NOT NULL,
    value TEXT,                  -- its price (Decimal text; NULL = not priced yet or unpriced)
    PRIMARY KEY (mpan, start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


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
            conn.executescript(_SCHEMA)
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                (json.dumps(SCHEMA_VERSION),),
            )
            conn.commit()
            self._conn = conn
        return self._conn

    def load(self, mpan: str) -> tuple[list[int], list[float], list[Decimal | None]]:
        """All cached half-hours of a meter as columns (starts, kwh, values), oldest first.

        Prices are kept with the readings so a restart needs no re-pricing.
        """
        with self._lock:
            rows = self._connection().execute(
                "SELECT start, kwh, value FROM readings WHERE mpan = ? ORDER BY start", (mpan,)
            )
            starts: list[int] = []
            kwh: list[float] = []
            values: list[Decimal | None] = []
            for start, energy, value in rows:
                starts.append(start)
                kwh.append(energy)
                values.append(None if value is None else Decimal(value))
            return starts, kwh, values

    def set_values(self, mpan: str, values: Mapping[int, Decimal | None]) -> None:
        """Store the prices of half-hours by start (after pricing or re-pricing)."""
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany(
                    "UPDATE readings SET value = ? WHERE mpan = ? AND start = ?",
                    ((_text(v), mpan, start) for start, v in values.items()),
                )

    def upsert(
        self,
        mpan: str,
        rows: tuple[Sequence[int], Sequence[float], Sequence[Decimal | None]],
        meta: dict[str, Any] | None = None,
    ) -> None:
        """Insert or replace readings (starts, kWh, prices columns) and metadata, in one
        transaction.

        The caller sends only what changed (see columns.merge), so a re-fetch window of
        unchanged readings writes nothing. Parameters are generated row by row, never held
        as a list of 100,000 tuples.
        """
        starts, kwh, values = rows
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany(
                    "INSERT INTO readings(mpan, start, kwh, value) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(mpan, start) DO UPDATE SET kwh = excluded.kwh, "
                    "value = excluded.value",
                    (
                        (mpan, start, energy, _text(value))
                        for start, energy, value in zip(starts, kwh, values, strict=True)
                    ),
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


def _text(value: Decimal | None) -> str | None:
    # Prices are stored as text: exact, and read back as the same Decimal.
    return None if value is None else str(value)


def remove_cache_file(path: Path) -> None:
    """Delete a cache file and its WAL companions (entry removed)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)
