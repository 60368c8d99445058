"""PostgreSQL (Debian's `postgres`); Home Assistant connects with psycopg2 (`postgresql://`)."""

from __future__ import annotations

from pathlib import Path
import shutil
import signal
from typing import Any

from .server import PASSWORD, USER, DatabaseServer, require


def _postgres_bindir() -> Path:
    """The newest of Debian's /usr/lib/postgresql/<major>/bin (or pg_config's)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = require(shutil.which("postgres"), "PostgreSQL's `postgres`")
    return Path(found).parent


class PostgreSQLServer(DatabaseServer):
    """Debian's `postgres`; Home Assistant connects with psycopg2 (`postgresql://`)."""

    name = "postgresql"
    service_user = "postgres"
    # SIGTERM would wait for every client to disconnect; SIGINT is the "fast" shutdown.
    stop_signal = signal.SIGINT

    def _initialise(self, folder: Path) -> list[str]:
        return [
            str(_postgres_bindir() / "initdb"),
            f"--pgdata={folder / 'data'}",
            "--username=postgres",
            "--auth-local=trust",  # our administration, over the folder's unix socket
            "--auth-host=scram-sha-256",  # Home Assistant, with the test user's password
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",  # the data directory is thrown away
        ]

    def _server_command(self, folder: Path) -> list[str]:
        return [
            str(_postgres_bindir() / "postgres"),
            "-D",
            str(folder / "data"),
            "-p",
            str(self.port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={folder}",
        ]

    def _admin_connect(self) -> Any:
        import psycopg2

        assert self.folder is not None
        connection = psycopg2.connect(
            host=str(self.folder), port=self.port, user="postgres", dbname="postgres"
        )
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        return connection

    def _prepare(self, connection: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"CREATE ROLE {USER} LOGIN CREATEDB PASSWORD '{PASSWORD}'")
        cursor.execute("SELECT version()")
        self.version = cursor.fetchone()[0].split(" on ")[0]

    def _create(self, connection: Any, database: str) -> str:
        connection.cursor().execute(
            f"CREATE DATABASE {database} OWNER {USER} ENCODING 'UTF8' TEMPLATE template0"
        )
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"
