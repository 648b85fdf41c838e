"""A real Synapse homeserver for the Matrix tests and the round-trip benchmark.

`SynapseServer` writes a minimal `homeserver.yaml` (SQLite, one client-API listener on
127.0.0.1, no federation, shared-secret registration), starts Synapse as a subprocess of its own
virtual environment and registers users through the admin API. The process is a plain `Popen`,
so the server is not bound to any one event loop: the session fixture starts it synchronously,
tests and the benchmark restart it with the async methods. Every wait has a deadline, and the
server's log is printed when it does not come up.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_NAME = "lotse.test"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0

_RELAXED = {"per_second": 10000, "burst_count": 100000}
RELAXED_LIMITS: dict[str, object] = {
    "rc_message": _RELAXED,
    "rc_registration": _RELAXED,
    "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
    "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    "rc_joins_per_room": _RELAXED,
    "rc_invites": {"per_room": _RELAXED, "per_user": _RELAXED, "per_issuer": _RELAXED},
    "rc_room_creation": _RELAXED,
    "rc_key_requests": _RELAXED,
    "rc_3pid_validation": _RELAXED,
    "rc_admin_redaction": _RELAXED,
    "rc_presence": {"per_user": _RELAXED},
    "rc_delayed_event_mgmt": _RELAXED,
    "rc_reports": _RELAXED,
}
"""Rate limits so high that tests never meet them; a test that wants 429s overrides `rc_message`."""


class SynapseError(RuntimeError):
    """Synapse could not be started, reached or asked; the message includes the end of its log."""


@dataclass(frozen=True)
class MatrixUser:
    """A registered account: what a member's nio client or Lotse's settings need."""

    user_id: str
    password: str
    access_token: str
    device_id: str


DEFAULT_SYNAPSE_PYTHON = REPO_ROOT / ".venv-synapse" / "bin" / "python"
REQUIREMENTS = Path(__file__).with_name("synapse-requirements.txt")
"""The one place the Synapse version is pinned; `.ci/run` installs from it too."""


def synapse_python() -> Path:
    """Synapse's interpreter: `LOTSE_SYNAPSE_PYTHON`, else the repository's `.venv-synapse`."""
    configured = os.environ.get("LOTSE_SYNAPSE_PYTHON")
    return Path(configured) if configured else DEFAULT_SYNAPSE_PYTHON


def install_synapse() -> None:
    """Install Synapse into `.venv-synapse` on first use, so a fresh clone's tests need no extra step.

    It gets a virtual environment of its own because its pins may clash with Lotse's.
    """
    venv = DEFAULT_SYNAPSE_PYTHON.parents[1]
    print(f"\ninstalling Synapse into {venv} (once, about a minute)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
                   check=True, timeout=900)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SynapseServer:
    """One Synapse process with its own directory, port and configuration."""

    def __init__(self, python: Path, directory: Path, *, limits: dict[str, object] | None = None) -> None:
        self.python = python
        self.directory = directory
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.shared_secret = secrets.token_hex(16)
        self.limits = dict(RELAXED_LIMITS) | (limits or {})
        self._process: subprocess.Popen[bytes] | None = None
        self._log_handle: object | None = None
        self._names = itertools.count(1)

    @property
    def log_path(self) -> Path:
        return self.directory / "homeserver.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def prepare(self) -> None:
        """Write the configuration and the signing key (once; a restart reuses both)."""
        if not self.python.exists() and self.python == DEFAULT_SYNAPSE_PYTHON:
            install_synapse()
        if not self.python.exists():
            raise SynapseError(
                f"Synapse's python {self.python} does not exist. Install Synapse with "
                f"`python3 -m venv {REPO_ROOT}/.venv-synapse && "
                f"{REPO_ROOT}/.venv-synapse/bin/pip install -r {REQUIREMENTS}`, "
                "or point LOTSE_SYNAPSE_PYTHON at an interpreter that has it."
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        key_path = self.directory / "signing.key"
        if not key_path.exists():
            script = (
                "import sys; from signedjson.key import generate_signing_key, write_signing_keys\n"
                "with open(sys.argv[1], 'w') as f: write_signing_keys(f, [generate_signing_key('a_1')])"
            )
            subprocess.run([str(self.python), "-c", script, str(key_path)], check=True, timeout=60)
        self.write_config()

    def write_config(self) -> None:
        """(Re)write homeserver.yaml; `limits` may have changed for a rate-limited restart."""
        (self.directory / "log.yaml").write_text(
            json.dumps(
                {
                    "version": 1,
                    "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
                    "handlers": {
                        "file": {
                            "class": "logging.FileHandler",
                            "formatter": "plain",
                            "filename": str(self.log_path),
                        }
                    },
                    "root": {"level": "INFO", "handlers": ["file"]},
                    "disable_existing_loggers": False,
                }
            )
        )
        config = {
            "server_name": SERVER_NAME,
            "pid_file": str(self.directory / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(self.directory / "homeserver.db")}},
            "log_config": str(self.directory / "log.yaml"),
            "media_store_path": str(self.directory / "media"),
            "signing_key_path": str(self.directory / "signing.key"),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": "lotse-tests-macaroon",
            "form_secret": "lotse-tests-form",
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "enable_registration": False,
            "bcrypt_rounds": 4,
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            **self.limits,
        }
        # JSON is YAML, and needs no YAML library in this environment.
        (self.directory / "homeserver.yaml").write_text(json.dumps(config, indent=1))

    def launch(self) -> None:
        """Start the process without waiting for it to listen."""
        if self.running:
            return
        log = open(self.directory / "stdout.log", "ab")
        self._log_handle = log
        self._process = subprocess.Popen(
            [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.directory / "homeserver.yaml")],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def _versions_url(self) -> str:
        return f"{self.url}/_matrix/client/versions"

    def _check_alive(self) -> None:
        if self._process is None or self._process.poll() is not None:
            raise SynapseError(f"Synapse exited during start-up.\n{self.log_tail()}")

    def wait_ready_blocking(self, timeout: float = START_TIMEOUT_S) -> None:
        """For the synchronous session fixture: poll /versions until it answers or the deadline."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(self._versions_url(), timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise SynapseError(f"Synapse did not answer within {timeout:.0f} s.\n{self.log_tail()}")

    async def wait_ready(self, within_s: float = START_TIMEOUT_S) -> None:
        """Poll /versions until it answers or the deadline, without blocking the event loop."""
        async with asyncio.timeout(within_s), aiohttp.ClientSession() as http:
            while True:
                self._check_alive()
                try:
                    async with http.get(self._versions_url(), timeout=aiohttp.ClientTimeout(total=2)) as r:
                        if r.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(0.1)

    def start_blocking(self) -> None:
        self.prepare()
        self.launch()
        self.wait_ready_blocking()

    async def start(self) -> None:
        await asyncio.to_thread(self.prepare)
        self.launch()
        await self.wait_ready()

    def stop_blocking(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
        self._reap()

    async def stop(self) -> None:
        """Terminate (then kill) the process; waiting happens in a thread, not on the loop."""
        await asyncio.to_thread(self.stop_blocking)

    def _reap(self) -> None:
        self._process = None
        handle = self._log_handle
        self._log_handle = None
        if handle is not None:
            handle.close()  # type: ignore[attr-defined]

    async def restart(self, *, limits: dict[str, object] | None = None) -> None:
        """Stop, optionally change the rate limits, and start again on the same port and database."""
        await self.stop()
        if limits is not None:
            self.limits = dict(RELAXED_LIMITS) | limits
            await asyncio.to_thread(self.write_config)
        self.launch()
        await self.wait_ready()

    def log_tail(self, lines: int = 60) -> str:
        parts = []
        for path in (self.directory / "stdout.log", self.log_path):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name} ---\n" + "\n".join(text))
        return "\n".join(parts) or "(no Synapse log was written)"

    async def register(self, name: str = "member", *, admin: bool = False, unique: bool = True) -> MatrixUser:
        """Register a user through the shared-secret admin API (a unique localpart unless told)."""
        localpart = f"{name}{next(self._names)}{secrets.token_hex(2)}" if unique else name
        password = secrets.token_hex(8)
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        async with asyncio.timeout(30), aiohttp.ClientSession() as http:
            async with http.get(endpoint) as response:
                nonce = (await response.json())["nonce"]
            # The MAC covers nonce, user, password and admin flag joined by NUL bytes.
            fields = (nonce, localpart, password, "admin" if admin else "notadmin")
            mac = hmac.new(self.shared_secret.encode(), b"\x00".join(f.encode() for f in fields), hashlib.sha1)
            body = {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            }
            async with http.post(endpoint, json=body) as response:
                data = await response.json()
                if response.status != 200:
                    raise SynapseError(f"registering {localpart} failed: {response.status} {data}")
        return MatrixUser(data["user_id"], password, data["access_token"], data["device_id"])

    async def exempt_from_rate_limits(self, admin: MatrixUser, user_id: str) -> None:
        """Lift rate limits for one account (the members), so only Lotse meets the 429s."""
        endpoint = f"{self.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit"
        headers = {"Authorization": f"Bearer {admin.access_token}"}
        async with asyncio.timeout(30), aiohttp.ClientSession() as http:
            body = {"messages_per_second": 0, "burst_count": 0}
            async with http.post(endpoint, json=body, headers=headers) as response:
                if response.status != 200:
                    raise SynapseError(f"override_ratelimit failed: {response.status} {await response.text()}")


def new_server(*, limits: dict[str, object] | None = None) -> SynapseServer:
    """A server in a fresh temporary directory, not started yet."""
    directory = Path(tempfile.mkdtemp(prefix="lotse-synapse-"))
    return SynapseServer(synapse_python(), directory, limits=limits)


@pytest.fixture(scope="session")
def synapse() -> Iterator[SynapseServer]:
    """The session's homeserver. Missing Synapse fails the tests with instructions; never skips."""
    server = new_server()
    try:
        server.start_blocking()
    except (SynapseError, subprocess.SubprocessError, OSError) as error:
        server.stop_blocking()
        pytest.fail(f"cannot start Synapse: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.stop_blocking()
        shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture
def synapse_factory() -> Iterator[list[SynapseServer]]:
    """Extra servers a test starts itself (`await start_synapse(limits=…)`); stopped afterwards."""
    servers: list[SynapseServer] = []
    yield servers
    for server in servers:
        server.stop_blocking()
        shutil.rmtree(server.directory, ignore_errors=True)


async def start_synapse(servers: list[SynapseServer], *, limits: dict[str, object] | None = None) -> SynapseServer:
    """Start one more server (a rate-limited one, say) and remember it for cleanup."""
    server = new_server(limits=limits)
    servers.append(server)
    try:
        await server.start()
    except (SynapseError, TimeoutError) as error:
        raise SynapseError(f"{error}\n{server.log_tail()}") from error
    return server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Attach the homeserver's log to a failing test that used it."""
    report = yield
    server = getattr(item, "funcargs", {}).get("synapse") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, SynapseServer):  # type: ignore[attr-defined]
        report.sections.append(("Synapse log", server.log_tail()))  # type: ignore[attr-defined]
    return report
