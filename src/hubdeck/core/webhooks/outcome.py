"""What an attempt's result means for its message and its endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# What the delivery log keeps of a response body (the sender reads at most a little more).
EXCERPT_CHARS = 1000


class Verdict(StrEnum):
    delivered = "delivered"  # 2xx
    retry = "retry"  # anything else: another try later, if the schedule has one left
    gone = "gone"  # 410 Gone: the receiver says the endpoint is no more; disable it at once


@dataclass(frozen=True, slots=True)
class AttemptResult:
    status_code: int | None  # None: no HTTP answer (refused target, timeout, connection error)
    duration_ms: int
    excerpt: str = ""
    error: str | None = None

    @property
    def verdict(self) -> Verdict:
        if self.error is None and self.status_code is not None and 200 <= self.status_code < 300:
            return Verdict.delivered
        if self.status_code == 410:
            return Verdict.gone
        return Verdict.retry


def excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
