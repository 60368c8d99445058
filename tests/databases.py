"""Throwaway MariaDB and PostgreSQL servers for the recorder tests and the benchmark.

Each server is Debian's package (`mariadb-server`, `postgresql`: scripts/db_packages installs
them) run as a private instance: its own data directory in a temporary folder, a free TCP port
on 127.0.0.1 (what Home Assistant connects to, as with a real database host) and a unix socket
in the same folder for our own administration. `stop` ends the process and removes the folder.
Both servers refuse to run as root, so under root they run as the package's service user
(`mysql`, `postgres`), which then owns the folder.

Home Assistant's recorder gets the URLs its documentation gives for `db_url`:
`mysql://user:password@host/db?charset=utf8mb4` (driver `mysqlclient`) and
`postgresql://user:password@host/db` (driver `psycopg2`). The drivers are C extensions that open
their sockets in C: the HA test plugin's socket guard (which only blocks Python sockets) does not
get in their way.

A server that cannot start raises DatabaseUnavailableError with the reason and the end of its log:
a database that is not there fails the run, it is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
import os
from pathlib import Path
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Any, ClassVar

SQLITE = "sqlite"
MARIADB = "mariadb"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, MARIADB, POSTGRESQL)

USER = "octopus"
PASSWORD = "octopus"  # a throwaway instance on the loopback interface only
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
INSTALL_HINT = "run scripts/db_packages (scripts/setup does) to install Debian's packages"


class DatabaseUnavailableError(RuntimeError):
    """A database server could not be found, started or prepared."""


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    # socket.socket may be the HA test plugin's guard: the C-level class is the real one.
    import _socket

    sock = _socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    finally:
        sock.close()
    return port


class DatabaseServer:
    """One private server process: start, create databases, stop and remove."""

    name: ClassVar[str]
    service_user: ClassVar[str]  # the account the Debian package runs the server as
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM

    def __init__(self) -> None:
        """Prepare (nothing runs until `start`)."""
        self.port = 0
        self.version = ""
        self.folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._databases = 0

    # The parts each server defines.
    def _initialise(self, folder: Path) -> list[str]:
        raise NotImplementedError

    def _server_command(self, folder: Path) -> list[str]:
        raise NotImplementedError

    def _admin_connect(self) -> Any:
        raise NotImplementedError

    def _prepare(self, connection: Any) -> None:
        raise NotImplementedError

    def _create(self, connection: Any, database: str) -> str:
        raise NotImplementedError

    @property
    def log_file(self) -> Path:
        """The server's own output (initialisation and run)."""
        assert self.folder is not None
        return self.folder / "server.log"

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for failure messages."""
        if self.folder is None or not self.log_file.exists():
            return "(no log)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def _account(self) -> pwd.struct_passwd | None:
        """The service account when running as root (the servers refuse root), else None."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(self.service_user)
        except KeyError:
            msg = f"{self.name}: no `{self.service_user}` user to run the server as; {INSTALL_HINT}"
            raise DatabaseUnavailableError(msg) from None

    def _run(self, command: list[str]) -> subprocess.Popen[bytes]:
        account = self._account()
        assert self.folder is not None
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,  # Ctrl-C reaches the test runner, which stops us
                **(
                    {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
                    if account
                    else {}
                ),
            )

    def start(self) -> None:
        """Initialise a data directory, start the server and create the test user."""
        self.folder = Path(tempfile.mkdtemp(prefix=f"octopus-viz-{self.name}-"))
        account = self._account()
        if account:
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        try:
            self._initialise_data(self._initialise(self.folder))
            self.port = free_port()
            self._process = self._run(self._server_command(self.folder))
            connection = self._wait_until_ready()
            try:
                self._prepare(connection)
            finally:
                connection.close()
        except BaseException:
            self.stop()
            raise

    def _initialise_data(self, command: list[str]) -> None:
        if self._run(command).wait(START_TIMEOUT) != 0:
            msg = f"{self.name}: {Path(command[0]).name} failed:\n{self.log_tail()}"
            raise DatabaseUnavailableError(msg)

    def _wait_until_ready(self) -> Any:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                msg = f"{self.name} exited during start:\n{self.log_tail()}"
                raise DatabaseUnavailableError(msg)
            try:
                return self._admin_connect()
            except Exception as err:
                if time.monotonic() > deadline:
                    msg = f"{self.name} not ready after {START_TIMEOUT:.0f} s ({err}):\n"
                    raise DatabaseUnavailableError(msg + self.log_tail()) from err
            time.sleep(0.1)

    def create_database(self, prefix: str = "recorder") -> str:
        """A new empty database owned by the test user; its recorder `db_url`.

        Every test gets its own: databases are not dropped one by one (a connection the
        recorder has not closed yet would make DROP wait), the whole instance goes at `stop`.
        """
        self._databases += 1
        name = re.sub(r"\W", "_", f"{prefix}_{self._databases}")
        connection = self._admin_connect()
        try:
            return self._create(connection, name)
        finally:
            connection.close()

    def stop(self) -> None:
        """End the server (its clean shutdown, then a kill) and remove its folder."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(self.stop_signal)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> DatabaseServer:
        """Start; stopped and removed on exit."""
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop and remove."""
        self.stop()


def _require(path: str | None, what: str) -> str:
    if not path or not Path(path).exists():
        msg = f"{what} not found; {INSTALL_HINT}"
        raise DatabaseUnavailableError(msg)
    return path


class MariaDBServer(DatabaseServer):
    """Debian's `mariadbd`; Home Assistant connects with mysqlclient (`mysql://`)."""

    name = MARIADB
    service_user = "mysql"

    def _initialise(self, folder: Path) -> list[str]:
        install = _require(shutil.which("mariadb-install-db"), "mariadb-install-db")
        return [
            install,
            "--no-defaults",  # never the machine's /etc/mysql configuration
            f"--datadir={folder / 'data'}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]

    def _server_command(self, folder: Path) -> list[str]:
        server = _require(
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


def _postgres_bindir() -> Path:
    """The newest of Debian's /usr/lib/postgresql/<major>/bin (or pg_config's)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = _require(shutil.which("postgres"), "PostgreSQL's `postgres`")
    return Path(found).parent


class PostgreSQLServer(DatabaseServer):
    """Debian's `postgres`; Home Assistant connects with psycopg2 (`postgresql://`)."""

    name = POSTGRESQL
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


SERVERS: dict[str, type[DatabaseServer]] = {
    MARIADB: MariaDBServer,
    POSTGRESQL: PostgreSQLServer,
}


class DatabaseServers:
    """Servers started on first use and kept for the rest of a test session."""

    def __init__(self) -> None:
        """Nothing runs yet."""
        self._running: dict[str, DatabaseServer] = {}

    def get(self, backend: str) -> DatabaseServer:
        """The running server of a backend (started now if needed)."""
        if backend not in self._running:
            server = SERVERS[backend]()
            server.start()
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
