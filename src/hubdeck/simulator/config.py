"""Configuration of the GitHub simulator: one typed object, no environment reading here."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OAuthApp:
    """A registered OAuth app. ``callback_url`` None accepts any ``redirect_uri``."""

    client_id: str
    client_secret: str
    callback_url: str | None = None


# A well-known demo credential: the simulator guards nothing real.
DEFAULT_OAUTH_APP = OAuthApp(
    client_id="hubdeck-simulator",
    client_secret="hubdeck-simulator-secret",  # noqa: S106
)


@dataclass(frozen=True, kw_only=True)
class SimulatorConfig:
    """Everything that shapes a simulator instance.

    The seeded data is a pure function of (``seed``, ``now`` and the size options): the same
    values give byte-identical REST bodies. ``now`` None means "the wall clock at start-up",
    which is what the demo wants and what tests must avoid.
    """

    seed: int = 1
    org_login: str = "acme"
    org_name: str = "Acme Corp"
    # Team members (all in the organization) and other GitHub users who star, fork and open
    # issues but are not members. Two bots (dependabot[bot], github-actions[bot]) always exist.
    users: int = 8
    outside_users: int = 12
    repos: int = 5
    private_repos: int = 1
    issues_per_repo: int = 20
    pulls_per_repo: int = 15
    history_days: int = 90

    # Clock: times of seeded data are relative to ``now``. A frozen clock only moves when told
    # (tests); otherwise it runs in real time from ``now``.
    now: datetime | None = None
    clock_frozen: bool = False

    # Public origin written into bodies (url, html_url...) and webhook payloads.
    base_url: str = "http://127.0.0.1:8765"

    # Activity generator: mutations per second; 0 turns the background generator off
    # (``POST /_simulator/activity/step`` still works).
    activity_rate: float = 0.0

    # Webhooks: one organization webhook. No URL: deliveries are recorded but not sent.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_hook_id: int = 424242
    send_ping_on_start: bool = True
    # Attempts per delivery and the first back-off delay (doubles each retry); a receiver that
    # is down for a second or two still gets its events.
    webhook_max_attempts: int = 3
    webhook_retry_delay: float = 0.5
    webhook_timeout: float = 10.0

    # Primary rate limits, per token (per client IP when unauthenticated), per resource.
    rate_limit_per_hour: int = 5000
    unauthenticated_rate_limit_per_hour: int = 60
    search_rate_limit_per_minute: int = 30
    graphql_rate_limit_per_hour: int = 5000
    # GitHub App installations: one core quota per installation, shared by its tokens, which
    # expire after ``installation_token_ttl`` seconds.
    installation_rate_limit_per_hour: int = 5000
    installation_token_ttl: int = 3600
    # The length of an hourly window (core, graphql): shorter makes resets testable.
    rate_limit_window_seconds: int = 3600
    # GitHub ties an ETag to the credential that fetched it: another token's If-None-Match
    # gets a 200 (and pays), as on GitHub.
    etag_per_token: bool = True

    # Secondary limits (None = off): concurrent requests per token, requests per minute per
    # token. ``secondary_status`` is 403 like GitHub usually answers, or 429.
    secondary_max_concurrent: int | None = None
    secondary_max_per_minute: int | None = None
    secondary_retry_after: int = 60
    secondary_status: int = 403
    # Artificial latency added to every API request (seconds), so that concurrency limits and
    # client timeouts can be exercised.
    response_delay: float = 0.0

    page_size_default: int = 30
    page_size_max: int = 100

    oauth_apps: tuple[OAuthApp, ...] = (DEFAULT_OAUTH_APP,)
    # GitHub's authorization codes expire after ten minutes.
    oauth_code_ttl_seconds: int = 600
    # Tokens usable from the start: token -> login (scopes "repo, read:org, user").
    preset_tokens: Mapping[str, str] = field(default_factory=dict)
    # The /_simulator/* control endpoints (tokens, clock, activity, deliveries, stats).
    admin_enabled: bool = True

    def replace(self, **changes: object) -> SimulatorConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def oauth_app(self, client_id: str) -> OAuthApp | None:
        for app in self.oauth_apps:
            if app.client_id == client_id:
                return app
        return None
