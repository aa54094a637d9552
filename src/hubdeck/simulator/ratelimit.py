"""Primary rate limits (per token or client IP, per resource, fixed windows) and the secondary
limits (concurrent requests and requests per minute per token)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from .clock import Clock
from .config import SimulatorConfig

RESOURCES = ("core", "search", "graphql")


@dataclass(slots=True)
class Bucket:
    limit: int
    window: int
    used: int = 0
    reset_at: int = 0

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def roll(self, now: float) -> None:
        """A window starts at the first request after the previous one ended (GitHub resets
        ``x-ratelimit-reset`` seconds after the window's first request)."""
        if now >= self.reset_at:
            self.used = 0
            self.reset_at = int(now) + self.window

    def as_json(self) -> dict[str, int]:
        return {
            "limit": self.limit,
            "used": self.used,
            "remaining": self.remaining,
            "reset": self.reset_at,
        }


class RateLimiter:
    def __init__(self, config: SimulatorConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def _shape(self, key: str, resource: str, authenticated: bool) -> tuple[int, int]:
        config = self._config
        if resource == "core" and key.startswith("installation:"):
            return config.installation_rate_limit_per_hour, config.rate_limit_window_seconds
        if resource == "search":
            return (config.search_rate_limit_per_minute if authenticated else 10), 60
        if resource == "graphql":
            graphql = config.graphql_rate_limit_per_hour if authenticated else 0
            return graphql, config.rate_limit_window_seconds
        limit = (
            config.rate_limit_per_hour
            if authenticated
            else config.unauthenticated_rate_limit_per_hour
        )
        return limit, config.rate_limit_window_seconds

    def bucket(self, key: str, resource: str, *, authenticated: bool) -> Bucket:
        bucket = self._buckets.get((key, resource))
        if bucket is None:
            limit, window = self._shape(key, resource, authenticated)
            bucket = self._buckets[(key, resource)] = Bucket(limit=limit, window=window)
        bucket.roll(self._clock.timestamp())
        return bucket

    def overview(self, key: str, *, authenticated: bool) -> dict[str, object]:
        """The body of GET /rate_limit."""
        resources = {
            r: self.bucket(key, r, authenticated=authenticated).as_json() for r in RESOURCES
        }
        core = resources["core"]
        return {"resources": resources, "rate": dict(core)}


class SecondaryLimiter:
    """Concurrency and per-minute bounds per token; both off when not configured."""

    def __init__(self, config: SimulatorConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._in_flight: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = {}

    @property
    def enabled(self) -> bool:
        return (
            self._config.secondary_max_concurrent is not None
            or self._config.secondary_max_per_minute is not None
        )

    def admit(self, key: str) -> int | None:
        """Register a request; None if it may proceed (call ``release`` when done), otherwise
        the number of seconds the client should wait (the ``retry-after`` value)."""
        config = self._config
        concurrent = config.secondary_max_concurrent
        if concurrent is not None and self._in_flight.get(key, 0) >= concurrent:
            return config.secondary_retry_after
        if config.secondary_max_per_minute is not None:
            now = self._clock.timestamp()
            recent = self._recent.setdefault(key, deque())
            while recent and recent[0] <= now - 60:
                recent.popleft()
            if len(recent) >= config.secondary_max_per_minute:
                return max(1, math.ceil(recent[0] + 60 - now))
            recent.append(now)
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        return None

    def release(self, key: str) -> None:
        count = self._in_flight.get(key, 0) - 1
        if count > 0:
            self._in_flight[key] = count
        else:
            self._in_flight.pop(key, None)
