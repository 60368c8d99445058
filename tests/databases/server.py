"""The life of one throwaway database server: data directory, process, port, removal.

Both servers refuse to run as root, so under root they run as the Debian package's service
user (`mysql`, `postgres`), which then owns the temporary folder. A server that cannot start
raises DatabaseUnavailableError with the reason and the end of its log.
"""

from __future__ import annotations

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


def cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """CPU time a process has used so far (Linux /proc), and its live children's if asked.

    PostgreSQL serves each connection from a child process, which is not reaped (and so not
    counted in its parent's figures) while the connection is open.
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(pid) or (with_children and fields[1] == str(pid)):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
        account = self._account()
        self.folder = Path(tempfile.mkdtemp(prefix=f"octopus-viz-{self.name}-"))
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
        process = self._run(command)
        try:
            failed = process.wait(START_TIMEOUT) != 0
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            failed = True
        if failed:
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

    def cpu_seconds(self) -> float:
        """CPU time the server (and its connection processes) used so far."""
        assert self._process is not None
        return cpu_seconds(self._process.pid, with_children=True)

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


def require(path: str | None, what: str) -> str:
    if not path or not Path(path).exists():
        msg = f"{what} not found; {INSTALL_HINT}"
        raise DatabaseUnavailableError(msg)
    return path
