"""`lotse doctor`: one ✔ or ✘ line per thing Lotse needs, each ✘ with what to do about it.

The platforms' own checks (Telegram getMe, Matrix whoami) live in their adapters; the composition
root hands them in, so this module stays free of platform libraries.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text

from bot.config import ConfigError, Settings
from bot.storage.database import Database

TIMEOUT = 15.0
"""Seconds any one check may take before it counts as failed."""
CLOCK_SKEW = 60.0
"""Seconds Lotse's clock may differ from the database server's before moderators see odd times."""


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: `advice` says what to do when it failed."""

    name: str
    ok: bool
    detail: str
    advice: str = ""

    def __str__(self) -> str:
        line = f"{'✔' if self.ok else '✘'} {self.name}: {self.detail}"
        return line if self.ok or not self.advice else f"{line} — {self.advice}"


Check = Callable[[], Awaitable[Finding]]


def configuration_problems(error: ConfigError) -> list[Finding]:
    return [Finding("configuration", False, f"{error.source}: {problem}", "fix the key, see config.example.toml")
            for problem in error.problems]


async def examine(settings: Settings, source: str, platform_checks: Sequence[Check],
                  database: Database, encoder_check: Check) -> list[Finding]:
    """Every check in order; a check that raises or hangs is a ✘, not a crash."""
    findings = [Finding("configuration", True, f"{source} is valid")]
    checks: list[Check] = [
        lambda: _database(database), lambda: _migrations(database), *platform_checks, encoder_check,
        lambda: _clock(settings, database), lambda: _web(settings),
    ]
    for check in checks:
        try:
            async with asyncio.timeout(TIMEOUT):
                findings.append(await check())
        except Exception as error:
            findings.append(Finding(getattr(check, "__name__", "check"), False, f"failed: {error!r}"))
    return findings


async def _database(database: Database) -> Finding:
    try:
        await database.ping()
    except Exception as error:
        return Finding("database", False, f"cannot reach {_redacted(database.url)}: {type(error).__name__}: {error}",
                       "check database.url, that the server runs and accepts Lotse's user")
    return Finding("database", True, f"{_redacted(database.url)} answers")


async def _migrations(database: Database) -> Finding:
    try:
        pending = await database.pending_migrations()
    except Exception as error:
        return Finding("migrations", False, f"cannot read the schema version: {type(error).__name__}")
    if pending:
        return Finding("migrations", False, f"pending: {', '.join(sorted(pending))}",
                       "run `lotse db upgrade` (Lotse also migrates when it starts)")
    return Finding("migrations", True, "the schema is current")


async def _clock(settings: Settings, database: Database) -> Finding:
    zones = {settings.digest.schedule.timezone, settings.matching.round.timezone,
             *(room.schedule.timezone for room in settings.digest.rooms if room.schedule is not None)}
    try:
        for zone in zones:
            ZoneInfo(zone)
    except ZoneInfoNotFoundError as error:
        return Finding("clock", False, f"time zone data missing: {error}", "install tzdata")
    now = datetime.now(UTC)
    local = f"{time.strftime('%Z')} here, schedules in {', '.join(sorted(zones))}"
    if database.is_sqlite:
        return Finding("clock", True, f"{now:%Y-%m-%d %H:%M:%S} UTC; {local}")
    async with database.reading() as session:
        server = await session.scalar(text("SELECT now()"))
    skew = abs((server - datetime.now(UTC)).total_seconds()) if isinstance(server, datetime) else 0.0
    if skew > CLOCK_SKEW:
        return Finding("clock", False, f"{skew:.0f} s apart from the database server's clock",
                       "synchronise both hosts' clocks (NTP)")
    return Finding("clock", True, f"{now:%Y-%m-%d %H:%M:%S} UTC, within {skew:.0f} s of the database; {local}")


async def _web(settings: Settings) -> Finding:
    web = settings.web
    if not web.enabled:
        return Finding("web", True, "off (web.enabled = false)")
    addresses = [(web.listen, web.port)]
    if web.metrics_listen:
        metrics_host, _, metrics_port = web.metrics_listen.rpartition(":")
        addresses.append((metrics_host.strip("[]"), int(metrics_port)))
    for host, number in addresses:
        problem = await asyncio.to_thread(_cannot_bind, host, number)
        if problem:
            return Finding("web", False, f"cannot listen on {host}:{number}: {problem}",
                           "choose a free port, or stop what holds it (another Lotse?)")
    if not web.base_url.startswith("https://") and web.listen not in ("127.0.0.1", "localhost", "::1"):
        return Finding("web", False, f"sign-in links go to {web.base_url} without https",
                       "serve the console behind TLS and set web.public_url to its https address")
    return Finding("web", True, f"console on {web.listen}:{web.port}, links to {web.base_url}")


def _cannot_bind(host: str, port: int) -> str:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        return error.strerror or str(error)
    return ""


def _redacted(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return scheme + sep + rest
