"""The throwaway database servers behind the recorder tests (tests/databases)."""

from __future__ import annotations

from pathlib import Path
import shutil

import pytest
import sqlalchemy as sa

from tests.databases import (
    MARIADB,
    POSTGRESQL,
    DatabaseServers,
    DatabaseUnavailableError,
)
from tests.databases.mariadb import MariaDBServer
from tests.databases.postgresql import PostgreSQLServer
from tests.databases.server import INSTALL_HINT

SERVER_BACKENDS = (MARIADB, POSTGRESQL)
# Doubles that print with 17 significant digits: a database that rounded them would change
# sums and costs.
DOUBLES = (0.1 + 0.2, 1234567.8901234567, 2.0**-40, -0.30000000000000004)


@pytest.mark.parametrize("backend", SERVER_BACKENDS)
def test_fresh_databases_for_the_recorder_user(
    database_servers: DatabaseServers, backend: str
) -> None:
    """Each URL is a new empty database the test user owns; doubles come back bit for bit."""
    server = database_servers.get(backend)
    assert server.version.lower().startswith(backend)
    first, second = server.create_database("check"), server.create_database("check")
    assert first != second
    assert "127.0.0.1" in first
    engine = sa.create_engine(first)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE numbers (value DOUBLE PRECISION)"))
            for value in DOUBLES:
                connection.execute(sa.text("INSERT INTO numbers VALUES (:v)"), {"v": value})
        with engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT value FROM numbers")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(stored) == sorted(DOUBLES)
    engine = sa.create_engine(second)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


class _BrokenMariaDB(MariaDBServer):
    def _server_command(self, folder):  # type: ignore[no-untyped-def]
        return [*super()._server_command(folder), "--no-such-option"]


class _BrokenPostgreSQL(PostgreSQLServer):
    def _server_command(self, folder):  # type: ignore[no-untyped-def]
        return [*super()._server_command(folder), "-c", "no_such_setting=1"]


@pytest.mark.parametrize(
    ("server_class", "logged"),
    [(_BrokenMariaDB, "no-such-option"), (_BrokenPostgreSQL, "no_such_setting")],
)
def test_a_server_that_cannot_start_fails_with_its_log(
    server_class: type[MariaDBServer | PostgreSQLServer], logged: str
) -> None:
    """The error names the server and quotes its log; nothing is left behind."""
    server = server_class()
    with pytest.raises(DatabaseUnavailableError, match="exited during start") as failure:
        server.start()
    assert server.name in str(failure.value)
    assert logged in str(failure.value)
    assert server.folder is None


def test_stop_ends_the_server_and_removes_its_folder() -> None:
    """The process is gone and so is its data directory."""
    server = PostgreSQLServer()
    server.start()
    folder = server.folder
    assert folder is not None
    assert (folder / "data").is_dir()
    assert server.cpu_seconds() >= 0
    server.stop()
    assert not folder.exists()
    assert server.folder is None
    server.stop()  # a second stop is harmless


def test_missing_packages_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Debian's mariadb-server the error says what to install, and how."""
    monkeypatch.setattr(shutil, "which", lambda *_args, **_kwargs: None)
    with pytest.raises(DatabaseUnavailableError, match="mariadb-install-db not found") as failure:
        MariaDBServer().start()
    assert INSTALL_HINT in str(failure.value)


def test_a_failed_start_fails_every_later_request_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pool remembers the failure: later tests fail with it rather than skip or wait."""
    calls: list[str] = []

    def which(name: str, *_args: object, **_kwargs: object) -> None:
        calls.append(name)

    monkeypatch.setattr(shutil, "which", which)
    servers = DatabaseServers()
    for _attempt in range(2):
        with pytest.raises(DatabaseUnavailableError, match="not found"):
            servers.db_url(MARIADB, Path("unused"))
    assert calls == ["mariadb-install-db"]
    servers.stop_all()
