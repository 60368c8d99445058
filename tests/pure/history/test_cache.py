"""The SQLite half-hour cache: upserts, prices, metadata, persistence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from custom_components.octopus_viz.history.cache import (
    ReadingCache,
    remove_cache_file,
)


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
    assert reopened.load("A") == ([0, 1800], [0.25, 0.75], [None, Decimal("0.225")])
    assert reopened.get_meta("k") == {"x": 1}
    assert reopened.get_meta("missing", 7) == 7
    reopened.set_values("A", {0: Decimal("0.1"), 1800: None})
    assert reopened.load("A")[2] == [Decimal("0.1"), None]
    reopened.set_meta({"k": None, "j": [1, 2]})
    assert reopened.get_meta("k") is None
    assert reopened.get_meta("j") == [1, 2]
    assert reopened.delete_meters(["A"]) == 1
    assert reopened.load("B") == ([], [], [])
    reopened.close()
    remove_cache_file(path)
    assert not path.exists()


def test_cache_files_are_private(tmp_path: Path) -> None:
    """A household's consumption: the file and its WAL are readable by the owner only, also
    when the file was made with wider permissions before."""
    path = tmp_path / "entry.sqlite3"
    cache = ReadingCache(path)
    cache.upsert("A", ([0], [0.5], [None]))
    files = [path, path.with_name(path.name + "-wal")]
    assert [p.stat().st_mode & 0o777 for p in files] == [0o600, 0o600]
    cache.close()

    path.chmod(0o644)
    reopened = ReadingCache(path)
    assert reopened.load("A")[1] == [0.5]
    assert path.stat().st_mode & 0o777 == 0o600
    reopened.close()
