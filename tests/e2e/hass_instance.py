"""A real Home Assistant process for the end-to-end test: config dir, start, wait, stop.

Home Assistant runs as a plain subprocess from a venv made by scripts/e2e_setup:
`.venv-ha-pinned` (the release .venv pins) or `.venv-ha-current` (the current release). Those
hold the packages of the integrations a real instance always loads, which .venv lacks; nothing
of Home Assistant shares the test's interpreter: the test sees what a browser would see.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib.metadata import version as installed_version
import os
from pathlib import Path
import socket
import subprocess

import aiohttp

from custom_components.octopus_viz.api.const import ENV_API_URL

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_ROOT = REPO_ROOT / "test-output" / "e2e"
START_TIMEOUT = 120.0  # a cold first start with the frontend takes 5-60 s depending on the disk
STOP_TIMEOUT = 30.0

# Only what the test needs, not `default_config:`, whose members want more packages (av,
# bluetooth...) and the network (zeroconf, dhcp, cloud). frontend brings config, onboarding,
# lovelace, auth, api and websocket_api; energy is the Energy dashboard; recorder is our
# dependency. scripts/e2e_setup installs the requirements of exactly these (keep in sync).
CONFIGURATION_YAML = """\
homeassistant:
  name: Octopus e2e
  latitude: 51.501
  longitude: -0.142
  elevation: 10
  unit_system: metric
  currency: GBP
  country: GB
  language: en
  time_zone: Europe/London

frontend:
energy:
history:
logbook:
recorder:
  commit_interval: 1{db_url}

logger:
  default: warning
  logs:
    custom_components.octopus_viz: debug

http:
  server_host: 127.0.0.1
  server_port: {port}
"""


@dataclass(frozen=True, slots=True)
class HaVersion:
    """A Home Assistant release to test against, and the venv holding it."""

    label: str
    venv: Path

    @property
    def hass(self) -> Path:
        """The venv's `hass` launcher."""
        return self.venv / "bin" / "hass"


# The pinned release is the one the test driver's own venv has (requirements_test.txt).
PINNED = HaVersion(installed_version("homeassistant"), REPO_ROOT / ".venv-ha-pinned")
CURRENT = HaVersion("2026.11.0", REPO_ROOT / ".venv-ha-current")


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_config(config_dir: Path, port: int, db_url: str | None = None) -> None:
    """configuration.yaml, and our integration linked in as a custom integration.

    Without a `db_url` the recorder keeps its default SQLite file in the config dir.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    recorder_db = f'\n  db_url: "{db_url}"' if db_url else ""
    (config_dir / "configuration.yaml").write_text(
        CONFIGURATION_YAML.format(port=port, db_url=recorder_db)
    )
    (config_dir / "custom_components").symlink_to(REPO_ROOT / "custom_components")


class HassProcess:
    """One `hass -c <dir>` subprocess, its log, and its base URL."""

    def __init__(
        self,
        version: HaVersion,
        config_dir: Path,
        api_url: str,
        log_dir: Path,
        db_url: str | None = None,
    ) -> None:
        """Prepare (nothing runs until `start`); `db_url` is the recorder's database."""
        self.version = version
        self.config_dir = config_dir
        self.db_url = db_url or f"sqlite:///{config_dir / 'home-assistant_v2.db'}"
        self._recorder_db = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = log_dir / "home-assistant.log"
        self._console = log_dir / "hass-console.log"
        self._api_url = api_url
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Launch Home Assistant (returns once spawned; see `wait_until_serving`)."""
        if not self.version.hass.exists():
            msg = f"{self.version.hass} is missing: run scripts/e2e_setup (after scripts/setup)"
            raise RuntimeError(msg)
        write_config(self.config_dir, self.port, self._recorder_db)
        env = {
            key: value
            for key, value in os.environ.items()
            # The test runner's own venv must not leak into the other one's interpreter.
            if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
        }
        env[ENV_API_URL] = self._api_url
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self._console.open("wb") as console:
            self._process = await asyncio.create_subprocess_exec(
                str(self.version.hass),
                "--config",
                str(self.config_dir),
                "--skip-pip",  # never install packages at run time (see CONFIGURATION_YAML)
                "--log-file",
                str(self.log_file),
                env=env,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in the terminal reaches pytest, not hass
            )

    @property
    def running(self) -> bool:
        """True while the process is alive."""
        return self._process is not None and self._process.returncode is None

    def log_tail(self, lines: int = 40) -> str:
        """The end of Home Assistant's log (for failure messages)."""
        for path in (self.log_file, self._console):
            if path.exists() and path.stat().st_size:
                return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    async def wait_until_serving(self, session: aiohttp.ClientSession) -> None:
        """Poll the unauthenticated onboarding endpoint until the HTTP API answers."""
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while asyncio.get_running_loop().time() < deadline:
            if not self.running:
                msg = f"Home Assistant exited during start:\n{self.log_tail()}"
                raise RuntimeError(msg)
            try:
                async with session.get(f"{self.url}/api/onboarding") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass  # not listening yet
            await asyncio.sleep(0.5)
        msg = f"Home Assistant did not serve within {START_TIMEOUT:.0f} s:\n{self.log_tail()}"
        raise TimeoutError(msg)

    async def stop(self) -> int | None:
        """SIGTERM (a clean shutdown, as Ctrl-C would do), then SIGKILL if it hangs."""
        process = self._process
        if process is None:
            return None
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
        return await process.wait()

    def integration_errors(
        self, domain: str, levels: tuple[str, ...] = ("ERROR", "CRITICAL")
    ) -> list[str]:
        """Log records at those levels that come from or pass through an integration.

        A record counts when its header names the integration (logger or message) or its
        traceback runs through the integration's files.
        """
        if not self.log_file.exists():
            return []
        found: list[str] = []
        record: list[str] = []

        def flush() -> None:
            if not record or not any(f" {level} " in record[0] for level in levels):
                return
            path = f"custom_components/{domain}/"
            if domain in record[0] or any(path in line for line in record):
                found.append("\n".join(record))

        for line in self.log_file.read_text(errors="replace").splitlines():
            # Records start with a date; continuation lines (tracebacks) do not.
            if line[:2].isdigit() and line[4:5] == "-":
                flush()
                record = [line]
            else:
                record.append(line)
        flush()
        return found
