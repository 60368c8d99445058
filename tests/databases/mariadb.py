"""MariaDB (Debian's `mariadbd`); Home Assistant connects with mysqlclient (`mysql://`)."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from .server import PASSWORD, USER, DatabaseServer, require


class MariaDBServer(DatabaseServer):
    """Debian's `mariadbd`; Home Assistant connects with mysqlclient (`mysql://`)."""

    name = "mariadb"
    service_user = "mysql"

    def _initialise(self, folder: Path) -> list[str]:
        install = require(shutil.which("mariadb-install-db"), "mariadb-install-db")
        return [
            install,
            "--no-defaults",  # never the machine's /etc/mysql configuration
            f"--datadir={folder / 'data'}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]

    def _server_command(self, folder: Path) -> list[str]:
        server = require(
            shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin"), "mariadbd"
        )
        return [
            server,
            "--no-defaults",
            f"--datadir={folder / 'data'}",
            f"--socket={folder / 'mysqld.sock'}",
            f"--pid-file={folder / 'mysqld.pid'}",
            "--bind-address=127.0.0.1",
            f"--port={self.port}",
            "--skip-name-resolve",
        ]

    def _admin_connect(self) -> Any:
        import MySQLdb

        assert self.folder is not None
        return MySQLdb.connect(unix_socket=str(self.folder / "mysqld.sock"), user="root")

    def _prepare(self, connection: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"CREATE USER '{USER}'@'%' IDENTIFIED BY '{PASSWORD}'")
        cursor.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'%'")
        cursor.execute("SELECT VERSION()")
        self.version = f"MariaDB {cursor.fetchone()[0]}"

    def _create(self, connection: Any, database: str) -> str:
        # The character set and collation Home Assistant's documentation asks for.
        connection.cursor().execute(
            f"CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        return f"mysql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}?charset=utf8mb4"
