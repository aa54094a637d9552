"""Settings: one typed object read from ``HUBDECK_*`` environment variables.

Imports nothing else from hubdeck, so every layer may depend on it.
"""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "HUBDECK_"


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hubdeck"


# Async drivers by dialect: a plain ``postgresql://`` or ``sqlite://`` URL is accepted and given
# the async driver HubDeck uses, so operators can paste the URL their database tools use.
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_ACCEPTED_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, validate_default=True
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    # PostgreSQL connections each process keeps (and as many more in a burst): processes ×
    # 2 × this must stay under the server's max_connections (100 by default).
    database_pool_size: Annotated[int, Field(ge=1, le=100)] = 10
    redis_url: str | None = None
    redis_prefix: str = "hubdeck:"
    public_url: AnyHttpUrl = AnyHttpUrl("http://localhost:8000")
    secret_key: SecretStr | None = None
    github_web_url: AnyHttpUrl = AnyHttpUrl("https://github.com")
    github_api_url: AnyHttpUrl = AnyHttpUrl("https://api.github.com")
    github_client_id: str = ""
    github_client_secret: SecretStr = SecretStr("")
    log_level: LogLevel = LogLevel.info
    log_json: bool = True
    # A connection that dies silently is closed (and leaves presence: who is viewing a
    # dashboard) at most ping interval + pong timeout after its last pong: 8 s by default, within
    # the 10 s a viewer list may lag. (The Go server pings every 25 s and waits 10 s.) The pong
    # timeout must stay below the ping interval, or a late pong meets the next ping.
    ws_ping_interval: Annotated[int, Field(ge=1, le=3600)] = 5
    ws_pong_timeout: Annotated[float, Field(gt=0)] = 3.0
    # Above this many bytes queued for one socket the client is too slow to keep up; it is
    # disconnected with a reconnect code and recovers from history (the Go server uses ~1 MB).
    ws_max_queued_bytes: Annotated[int, Field(ge=1024)] = 1_048_576
    # How often every followed repository is polled; webhooks make changes arrive sooner.
    sync_interval: Annotated[float, Field(ge=10)] = 600.0
    # Whether this process runs the background work (the sync scheduler and its jobs, the
    # webhook dispatcher, the event relay). Off on web-only nodes (`hubdeck serve
    # --no-background`) of a cluster whose `hubdeck worker` processes do it.
    background_jobs: bool = True
    # Fewer, cheaper garbage collections: fan-out creates short-lived objects per recipient, and
    # with CPython's default thresholds full collections walk every connection's objects
    # (docs/benchmarks.md measures it). Off only for processes that build many apps (tests).
    gc_tuning: bool = True
    history_size: Annotated[int, Field(ge=1)] = 300
    history_max_age: Annotated[float, Field(gt=0)] = 3600.0
    # Outgoing webhooks (docs/webhooks.md). Hosts, addresses and CIDR networks, comma-separated,
    # that webhooks may reach although they are private, loopback… (tests, demos, an intranet).
    webhook_allowed_hosts: str = ""
    # The whole of one attempt (resolve, connect, send, read the answer); slower is a failure.
    webhook_timeout: Annotated[float, Field(gt=0, le=60)] = 10.0
    # Multiplies the retry schedule and the failing period (tests and demos compress the clock).
    webhook_retry_scale: Annotated[float, Field(gt=0, le=1)] = 1.0
    # Messages a disabled endpoint keeps (the newest) for a replay when it is enabled again.
    webhook_disabled_backlog: Annotated[int, Field(ge=0, le=1_000_000)] = 1000
    # Sessions: signed out after this long without an action of the user's own (background
    # refreshes and socket pings do not count), and after this long in any case.
    session_idle_timeout: Annotated[float, Field(ge=60)] = 14 * 24 * 3600.0
    session_absolute_timeout: Annotated[float, Field(ge=60)] = 30 * 24 * 3600.0
    # Seconds a process trusts a session or team membership it read, without reading it again
    # (0: read on every request). Revocations and membership changes are forgotten at once, on
    # other processes when the broadcast of the change reaches them (docs/operations.md).
    auth_cache_seconds: Annotated[float, Field(ge=0, le=60)] = 5.0
    # Our own rate limits (``limits`` notation: "N/second|minute|hour|day"), in memory or in
    # Redis when configured. Generous enough for a wall screen and a busy tab on one address.
    rate_limits: bool = True
    rate_limit_api_per_session: str = "1200/minute"
    rate_limit_api_per_ip: str = "3000/minute"
    rate_limit_signin_per_ip: str = "60/minute"
    rate_limit_webhooks_per_ip: str = "3000/minute"
    # Computed results (metrics, widgets) are cached in the Cache port; off only to measure.
    compute_cache: bool = True
    # Rate-limit pool: secondary-limit guards per credential (GitHub allows 100 concurrent
    # requests and 900 points a minute; GET 1 point, writes 5).
    pool_max_concurrent: Annotated[int, Field(ge=1, le=100)] = 10
    pool_points_per_minute: Annotated[int, Field(ge=1, le=900)] = 800

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "not a database URL (expected sqlite:///path/to/file.db or "
                "postgresql://user@host/dbname)"
            ) from None
        driver = _ASYNC_DRIVERS.get(url.drivername, url.drivername)
        if driver not in _ACCEPTED_DRIVERS:
            raise ValueError(f"unsupported database {url.drivername!r} (use sqlite or postgresql)")
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("not a Redis URL (expected redis://host:port/db)")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url is not None:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'hubdeck.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _pong_before_next_ping(self) -> Settings:
        if self.ws_pong_timeout >= self.ws_ping_interval:
            raise ValueError(
                "HUBDECK_WS_PONG_TIMEOUT must be smaller than HUBDECK_WS_PING_INTERVAL"
            )
        return self

    @field_validator(
        "rate_limit_api_per_session",
        "rate_limit_api_per_ip",
        "rate_limit_signin_per_ip",
        "rate_limit_webhooks_per_ip",
    )
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(
                f"not a rate limit: {value!r} (expected e.g. 600/minute or 10/second)"
            ) from None
        return value

    @model_validator(mode="after")
    def _idle_within_absolute(self) -> Settings:
        if self.session_idle_timeout > self.session_absolute_timeout:
            raise ValueError(
                "HUBDECK_SESSION_IDLE_TIMEOUT must not exceed HUBDECK_SESSION_ABSOLUTE_TIMEOUT"
            )
        return self

    def resolved_secret_key(self) -> str:
        """The secret key: given, or generated once and kept in the data directory."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # O_EXCL: two processes starting at once on a fresh data directory agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


class SettingsError(Exception):
    """A setting has a bad value; ``str()`` is one line naming the variable."""


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (and ``overrides``), with readable errors."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        location = first.get("loc") or ()
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        if not location:  # a rule across several settings names them in its message
            raise SettingsError(message) from None
        raise SettingsError(f"{ENV_PREFIX}{str(location[0]).upper()}: {message}") from None
