"""Throwaway MariaDB and PostgreSQL servers for the recorder tests and the benchmark.

Each server is Debian's package (`mariadb-server`, `postgresql`: scripts/db_packages installs
them) run as a private instance: its own data directory in a temporary folder, a free TCP port
on 127.0.0.1 (what Home Assistant connects to, as with a real database host) and a unix socket
in the same folder for our own administration. `stop` ends the process and removes the folder.

Home Assistant's recorder gets the URLs its documentation gives for `db_url`:
`mysql://user:password@host/db?charset=utf8mb4` (driver `mysqlclient`) and
`postgresql://user:password@host/db` (driver `psycopg2`). The drivers are C extensions that open
their sockets in C: the HA test plugin's socket guard (which only blocks Python sockets) does not
get in their way.

A server that cannot start raises DatabaseUnavailableError with the reason and the end of its
log: a database that is not there fails the run, it is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .mariadb import MariaDBServer
from .postgresql import PostgreSQLServer
from .server import DatabaseServer, DatabaseUnavailableError

SQLITE = "sqlite"
MARIADB = MariaDBServer.name
POSTGRESQL = PostgreSQLServer.name
BACKENDS = (SQLITE, MARIADB, POSTGRESQL)

__all__ = [
    "BACKENDS",
    "MARIADB",
    "POSTGRESQL",
    "SQLITE",
    "DatabaseServer",
    "DatabaseServers",
    "DatabaseUnavailableError",
    "database_servers",
]


SERVERS: dict[str, type[DatabaseServer]] = {
    MARIADB: MariaDBServer,
    POSTGRESQL: PostgreSQLServer,
}


class DatabaseServers:
    """Servers started on first use and kept for the rest of a test session."""

    def __init__(self) -> None:
        """Nothing runs yet."""
        self._running: dict[str, DatabaseServer] = {}
        self._failed: dict[str, DatabaseUnavailableError] = {}

    def get(self, backend: str) -> DatabaseServer:
        """The running server of a backend (started now if needed).

        A server that failed to start fails every later test that wants it with the same
        error, at once (not after another start timeout).
        """
        if backend in self._failed:
            raise self._failed[backend]
        if backend not in self._running:
            server = SERVERS[backend]()
            try:
                server.start()
            except DatabaseUnavailableError as err:
                self._failed[backend] = err
                raise
            self._running[backend] = server
        return self._running[backend]

    def db_url(self, backend: str, directory: Path, prefix: str = "recorder") -> str:
        """A recorder `db_url` on a fresh database: a file in `directory` for SQLite."""
        if backend == SQLITE:
            return f"sqlite:///{directory / f'{prefix}.db'}"
        return self.get(backend).create_database(prefix)

    def stop_all(self) -> None:
        """Stop and remove every server started."""
        while self._running:
            _name, server = self._running.popitem()
            with suppress(Exception):
                server.stop()


@contextmanager
def database_servers() -> Iterator[DatabaseServers]:
    """A pool of servers, all stopped and removed on exit."""
    servers = DatabaseServers()
    try:
        yield servers
    finally:
        servers.stop_all()
