"""Lotse's configuration: typed settings from a TOML file, overridden by `LOTSE_…` environment variables.

Only the composition root calls `load_settings`; everything else receives the part it needs.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from knowledge.entry import Language

DEFAULT_CONFIG_FILE = Path("lotse.toml")


class Section(BaseModel):
    """A configuration section: unknown keys are mistakes, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(Section):
    url: str = "sqlite+aiosqlite:///lotse.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return url


class KnowledgeSettings(Section):
    load_starter: bool = True
    answer_threshold: float | None = Field(default=None, ge=0, le=1)
    suggest_threshold: float | None = Field(default=None, ge=0, le=1)
    max_choices: int = Field(default=3, ge=1, le=5)
    encoder: Literal["bundled", "local", "none"] = "bundled"
    model_dir: Path | None = None
    encoder_threads: int = Field(default=2, ge=1, le=64)
    vector_cache: Path | None = None

    @model_validator(mode="after")
    def _model_dir_for_local(self) -> KnowledgeSettings:
        if self.encoder == "local" and self.model_dir is None:
            raise ValueError("encoder = \"local\" needs model_dir, the folder of a sentence-transformers model")
        return self


class ConsoleSettings(Section):
    enabled: bool = False
    user: str = "local"


class WebhookSettings(Section):
    url: str = ""
    listen: str = "127.0.0.1"
    port: int = Field(default=8443, ge=1, le=65535)
    secret_token: SecretStr | None = None


class TelegramSettings(Section):
    enabled: bool = False
    token: SecretStr | None = None
    api_url: str = "https://api.telegram.org"
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookSettings = WebhookSettings()
    allowed_chats: list[int] = Field(default_factory=list)
    max_update_age_hours: float = Field(default=24, gt=0)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> TelegramSettings:
        if self.enabled and (self.token is None or not self.token.get_secret_value().strip()):
            raise ValueError("token: required when telegram is enabled (or set LOTSE_TELEGRAM__TOKEN)")
        if self.enabled and self.mode == "webhook" and not self.webhook.url.startswith(("https://", "http://")):
            raise ValueError("webhook.url: the public URL Telegram sends updates to is required in webhook mode")
        return self


class MatrixSettings(Section):
    enabled: bool = False
    homeserver: str = ""
    user_id: str = ""
    password: SecretStr | None = None
    access_token: SecretStr | None = None
    device_name: str = "Lotse"
    command_prefix: str = "!lotse"
    allowed_inviters: list[str] = Field(default_factory=list)
    store_dir: Path = Path("lotse-data/matrix")

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> MatrixSettings:
        if not self.enabled:
            return self
        if not self.homeserver.startswith(("https://", "http://")):
            raise ValueError("homeserver: the homeserver's URL is required when matrix is enabled")
        if not (self.user_id.startswith("@") and ":" in self.user_id):
            raise ValueError("user_id: a Matrix user id such as @lotse:example.org is required")
        if self.password is None and self.access_token is None:
            raise ValueError("password: set password or access_token (or LOTSE_MATRIX__PASSWORD)")
        return self


class ModerationSettings(Section):
    """Curation: where moderators get notices, and the rules they work by."""

    rooms: list[str] = Field(default_factory=list)
    """Platform-qualified chat ids of the moderators' rooms (`matrix:!abc:example.org`)."""
    notice_interval_minutes: int = Field(default=30, ge=1)
    four_eyes: bool = False
    review_after_months: int = Field(default=12, ge=1)


class ScheduleSettings(Section):
    """A weekly moment in a time zone, such as Monday 09:00 Europe/Berlin."""

    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "monday"
    time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str = "Europe/Berlin"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r}") from None
        return zone


class MatchingSettings(Section):
    """Introductions between members who share a challenge."""

    enabled: bool = True
    round: ScheduleSettings = ScheduleSettings(weekday="monday", time="10:00")
    round_every_weeks: int = Field(default=2, ge=1)
    reintroduce_after_days: int = Field(default=182, ge=0)
    follow_up_after_days: int = Field(default=7, ge=1)
    answer_within_days: int = Field(default=7, ge=1)
    """A request for an introduction that is not answered within this many days expires."""
    inactive_after_days: int = Field(default=180, ge=1)
    """Members who have not used matching for this long are not proposed to others."""

    class Challenge(Section):
        """One challenge members can name: a stable id, German and English labels, other words for it."""

        id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
        de: str = Field(min_length=1)
        en: str = Field(min_length=1)
        synonyms: list[str] = Field(default_factory=list)
        tags: list[str] = Field(default_factory=list)
        """Knowledge-base and resource tags about this challenge (its news come first in digests)."""

    challenges: list[Challenge] | None = None
    """The curated list of challenges; None means the starter list shipped with the matching feature."""


class DigestRoomSettings(Section):
    """A room that gets the digest: its chat, its own schedule if any, its language and tags."""

    chat: str = Field(pattern=r"^(telegram|matrix|console):.+")
    schedule: ScheduleSettings | None = None
    language: Language = "de"
    tags: list[str] = Field(default_factory=list)


class FeedSettings(Section):
    """A source of resources (RSS/Atom) or events (iCalendar), polled every `poll_minutes`."""

    url: str = Field(pattern=r"^https?://")
    kind: Literal["rss", "ical"] = "rss"
    tags: list[str] = Field(default_factory=list)
    language: Language = "de"
    poll_minutes: int = Field(default=60, ge=1)


class DigestSettings(Section):
    """Digests of new resources and upcoming events."""

    enabled: bool = True
    schedule: ScheduleSettings = ScheduleSettings()
    events_weeks: int = Field(default=4, ge=1)
    send_empty: bool = False
    rooms: list[DigestRoomSettings] = Field(default_factory=list)
    feeds: list[FeedSettings] = Field(default_factory=list)


class KompassSettings(Section):
    """The Beratungskompass: when entries count as stale, when deadlines are reminded of."""

    stale_after_days: int = Field(default=365, ge=1)
    """Offers and providers not checked for this many days are marked in answers and reported to moderators."""
    reminder_days_before_deadline: int = Field(default=14, ge=0)
    """Funding-radar subscribers are reminded this many days before a call's deadline."""
    referral_answer_days: int = Field(default=7, ge=1)
    """A provider's contact has this many days to answer a passed-on request."""
    load_starter: bool = True
    """Load the starter directory shipped with Lotse when the Kompass has no providers yet."""


class WebSettings(Section):
    """The web console for moderators and operators, with health and metrics endpoints."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    """0 picks a free port (for tests)."""
    public_url: str = ""
    """The address people open, for sign-in links (`https://lotse.example.org`); empty: http://listen:port."""
    metrics_listen: str = ""
    """`host:port` for /healthz, /readyz and /metrics on a separate address; empty: on the console's."""

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if url and not url.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return url.rstrip("/")

    @field_validator("metrics_listen")
    @classmethod
    def _host_and_port(cls, address: str) -> str:
        host, _, port = address.rpartition(":")
        if address and (not host or not port.isdigit() or not 0 <= int(port) <= 65535):
            raise ValueError("must be host:port, such as 127.0.0.1:9100")
        return address

    @property
    def base_url(self) -> str:
        """Where people reach the console: the public URL, else the listen address."""
        return self.public_url or f"http://{self.listen}:{self.port}"


class PrivacySettings(Section):
    """Where the pseudonymisation key lives, and how long what Lotse sent is kept."""

    key_file: Path = Path("lotse-data/pseudonym.key")
    """Created on first start; back it up apart from the database."""
    key: SecretStr | None = None
    """The key itself (64 hexadecimal digits) instead of the file: LOTSE_PRIVACY__KEY."""
    sent_messages_kept_days: int = Field(default=30, ge=1)
    """Messages Lotse sent on its own (digests, notices, introductions) are deleted this long after sending."""


class ThrottleSettings(Section):
    """A budget of messages per member, so one member cannot slow Lotse down for everyone else."""

    enabled: bool = True
    burst: int = Field(default=10, ge=1)
    """Messages a member may send at once."""
    per_minute: float = Field(default=20, gt=0)
    """Messages a member may send per minute once the burst is used up."""


class OutboxSettings(Section):
    """How long Lotse keeps trying to deliver what it sends on its own."""

    give_up_after_hours: float = Field(default=72, gt=0)
    """A message that could not be delivered for this long is failed; `lotse outbox requeue` sends it again."""


class LeaseSettings(Section):
    """How long an instance's claim on a chat account lasts without being renewed."""

    seconds: int = Field(default=60, ge=10)


class Settings(BaseSettings):
    """Everything an operator can set. See config.example.toml for each key's meaning."""

    model_config = SettingsConfigDict(
        env_prefix="LOTSE_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    default_language: Language = "de"
    admins: list[str] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database: DatabaseSettings = DatabaseSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    console: ConsoleSettings = ConsoleSettings()
    telegram: TelegramSettings = TelegramSettings()
    matrix: MatrixSettings = MatrixSettings()
    moderation: ModerationSettings = ModerationSettings()
    matching: MatchingSettings = MatchingSettings()
    digest: DigestSettings = DigestSettings()
    kompass: KompassSettings = KompassSettings()
    web: WebSettings = WebSettings()
    privacy: PrivacySettings = PrivacySettings()
    throttle: ThrottleSettings = ThrottleSettings()
    lease: LeaseSettings = LeaseSettings()
    outbox: OutboxSettings = OutboxSettings()

    @field_validator("admins")
    @classmethod
    def _qualified_ids(cls, admins: list[str]) -> list[str]:
        for admin in admins:
            platform, _, local = admin.partition(":")
            if platform not in {"telegram", "matrix", "console"} or not local:
                raise ValueError(f"{admin!r} is not a platform-qualified id such as telegram:123456")
        return admins

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init arguments; the environment overrides them.
        return env_settings, init_settings


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the configuration, named by its key."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` says why, one line each."""

    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))
        self.source = source
        self.problems = problems


def load_settings(path: Path | None = None) -> Settings:
    """Read `path` (or `lotse.toml` when it exists, else the defaults) with environment overrides."""
    if path is None and DEFAULT_CONFIG_FILE.is_file():
        path = DEFAULT_CONFIG_FILE
    data: dict[str, Any] = {}
    source = str(path) if path is not None else "configuration"
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(source, [ConfigProblem("(file)", "does not exist")]) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(source, [ConfigProblem("(file)", f"cannot be read: {error}")]) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(source, [ConfigProblem("(file)", f"is not valid TOML: {error}")]) from None
    try:
        return Settings(**data)
    except ValidationError as error:
        problems = sorted((_located(_problem(detail), data) for detail in error.errors()),
                          key=lambda problem: problem.key)
        raise ConfigError(source, problems) from None


def _located(problem: ConfigProblem, data: dict[str, Any]) -> ConfigProblem:
    """The problem with where it came from when that is not the file: an operator who set
    `LOTSE_DATABASE__URL` looks for it in the environment, not in lotse.toml."""
    variable = "LOTSE_" + problem.key.replace(".", "__").upper()
    if any(name.upper() == variable for name in os.environ):
        return ConfigProblem(problem.key, f"{problem.reason} (from the environment variable {variable})")
    section, _, key = problem.key.partition(".")
    if problem.reason == "unknown key" and key and "." not in key:
        return ConfigProblem(problem.key, _misplaced(section, key))
    return problem


def _misplaced(section: str, key: str) -> str:
    """Why a known key is unknown where it stands: in TOML every key after `[section]` belongs to
    that table, so a top-level key written below a table lands inside it."""
    if key in Settings.model_fields:
        return (f"unknown key in [{section}]; `{key}` belongs at the top of the file, before the first "
                f"[table] (in TOML every key after [{section}] is part of that table)")
    homes = [f"[{name}]" for name, field in Settings.model_fields.items()
             if name != section and isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
             and key in field.annotation.model_fields]
    if homes:
        return f"unknown key in [{section}]; `{key}` belongs in {' or '.join(homes)}"
    return "unknown key"


def _problem(detail: Any) -> ConfigProblem:
    key = ".".join(str(part) for part in detail["loc"]) or "(file)"
    if detail["type"] == "extra_forbidden":
        return ConfigProblem(key, "unknown key")
    reason = str(detail["msg"]).removeprefix("Value error, ")
    field, separator, rest = reason.partition(": ")
    if separator and " " not in field:
        # A section's own check names the key inside it: "token: required when …".
        return ConfigProblem(f"{key}.{field}", rest)
    return ConfigProblem(key, reason)
