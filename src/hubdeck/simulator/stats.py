"""Counters for tests and benchmarks (GET /_simulator/stats)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    requests: int = 0
    not_modified: int = 0
    rate_limited: int = 0
    secondary_limited: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    # Quota spent per rate-limit key ("token:<value>" or "ip:<address>").
    quota_spent: Counter[str] = field(default_factory=Counter)
    # Per rate-limit key: the lowest remaining quota seen after a paid request (limit - used,
    # unclamped: a negative value would mean the simulator let a request overdraw), and refusals.
    lowest_remaining: dict[str, int] = field(default_factory=dict)
    primary_by_key: Counter[str] = field(default_factory=Counter)
    secondary_by_key: Counter[str] = field(default_factory=Counter)

    def request(self, route: str) -> None:
        self.requests += 1
        self.by_route[route] += 1

    def response(self, status: int) -> None:
        self.by_status[status] += 1

    def spend(self, key: str, left: int | None = None) -> None:
        self.quota_spent[key] += 1
        if left is not None:
            self.lowest_remaining[key] = min(self.lowest_remaining.get(key, left), left)

    def reset(self) -> None:
        self.requests = self.not_modified = self.rate_limited = self.secondary_limited = 0
        self.by_status.clear()
        self.by_route.clear()
        self.quota_spent.clear()
        self.lowest_remaining.clear()
        self.primary_by_key.clear()
        self.secondary_by_key.clear()

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "not_modified": self.not_modified,
            "rate_limited": self.rate_limited,
            "secondary_limited": self.secondary_limited,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "by_route": dict(sorted(self.by_route.items())),
            "quota_spent": {
                key.removeprefix("token:"): count for key, count in sorted(self.quota_spent.items())
            },
            "lowest_remaining": {
                key.removeprefix("token:"): left
                for key, left in sorted(self.lowest_remaining.items())
            },
            "primary_limited_by_key": {
                key.removeprefix("token:"): n for key, n in sorted(self.primary_by_key.items())
            },
            "secondary_limited_by_key": {
                key.removeprefix("token:"): n for key, n in sorted(self.secondary_by_key.items())
            },
        }
