"""GitHub's rate-limit headers as a typed value, and what a refused (403/429) answer means.

Pure: no I/O, no HTTP library. The GitHub client hands in the response's headers (any
``Mapping[str, str]``, case-insensitive or not) and gets values the rate-limit pool can use.

GitHub's rules (docs.github.com, "Rate limits for the REST API"):

- every answer carries ``x-ratelimit-limit/remaining/used/reset/resource`` for the bucket the
  request counted against (``core``, ``search``, ``graphql``…); ``reset`` is in epoch seconds;
- a *primary* limit is exhausted when ``x-ratelimit-remaining`` is 0: wait until ``reset``;
- a *secondary* limit (too many concurrent requests, too many points per minute…) answers 403
  or 429 with a message about a "secondary rate limit" and usually ``retry-after`` seconds;
  without ``retry-after``, wait at least a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

# GitHub asks clients that got a secondary limit without a retry-after header to "wait for at
# least one minute before retrying".
DEFAULT_SECONDARY_WAIT = 60.0

# x-ratelimit-reset is in epoch seconds. A value beyond this one (the year 5138 in seconds)
# can only be milliseconds: octokit/fixtures' recordings of real exchanges store it that way.
# Reading both keeps the value right whichever a server or a recording sends.
_MILLISECONDS_FROM = 10**11

# Phrases GitHub (and GitHub Enterprise Server, which still says "abuse") uses in the message of
# a secondary-limit refusal.
_SECONDARY_PHRASES = ("secondary rate limit", "abuse detection")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """One bucket's quota as a response reported it."""

    limit: int
    remaining: int
    used: int
    reset: int  # epoch seconds at which the bucket refills
    resource: str = "core"

    @property
    def reset_at(self) -> datetime:
        """When the bucket refills, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.reset, UTC)

    @property
    def is_exhausted(self) -> bool:
        return self.remaining <= 0

    def seconds_until_reset(self, now: datetime) -> float:
        """Seconds from ``now`` (aware) until the refill; 0 when it is already past."""
        return max(0.0, (self.reset_at - now).total_seconds())


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    """The ``x-ratelimit-*`` headers as a ``RateLimit``; None when they are absent or garbled
    (GitHub Enterprise Server with rate limiting disabled sends none)."""
    found = _lowered(headers)
    limit = _int(found.get("x-ratelimit-limit"))
    remaining = _int(found.get("x-ratelimit-remaining"))
    reset = _int(found.get("x-ratelimit-reset"))
    if limit is None or remaining is None or reset is None:
        return None
    if reset >= _MILLISECONDS_FROM:
        reset //= 1000
    used = _int(found.get("x-ratelimit-used"))
    resource = found.get("x-ratelimit-resource", "").strip() or "core"
    return RateLimit(
        limit=limit,
        remaining=remaining,
        used=used if used is not None else max(limit - remaining, 0),
        reset=reset,
        resource=resource,
    )


def is_exhausted(rate_limit: RateLimit | None) -> bool:
    """True when headers were given and say no request is left in this window."""
    return rate_limit is not None and rate_limit.is_exhausted


def reset_at(rate_limit: RateLimit | None) -> datetime | None:
    return None if rate_limit is None else rate_limit.reset_at


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``retry-after`` in seconds: delay-seconds (what GitHub sends) or an HTTP date (RFC 9110
    allows it). None when absent or unreadable; never negative."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RefusalKind(StrEnum):
    primary = "primary"  # the bucket is empty: wait until its reset
    secondary = "secondary"  # slow down: wait retry_after seconds
    forbidden = "forbidden"  # not a limit: the credential may not do this


@dataclass(frozen=True, slots=True)
class Refusal:
    """What a 403 or 429 answer means, and how long to wait if it is a limit."""

    kind: RefusalKind
    rate_limit: RateLimit | None = None
    retry_after: float | None = None  # seconds, for secondary limits

    def wait_seconds(self, now: datetime) -> float | None:
        """How long the credential should rest; None for a plain forbidden."""
        if self.kind is RefusalKind.secondary:
            return self.retry_after
        if self.kind is RefusalKind.primary and self.rate_limit is not None:
            return self.rate_limit.seconds_until_reset(now)
        return None


def mentions_secondary_limit(message: str | None) -> bool:
    lowered = (message or "").lower()
    return any(phrase in lowered for phrase in _SECONDARY_PHRASES)


def classify_refusal(
    status: int, headers: Mapping[str, str], message: str | None, now: datetime
) -> Refusal:
    """Classify a 403/429 answer from its headers and the ``message`` of its body.

    In this order: a message about a secondary limit is one (whatever the headers say); an
    empty bucket is the primary limit; ``retry-after`` or a 429 is a secondary limit; any other
    403 is a plain refusal.
    """
    rate_limit = parse_rate_limit(headers)
    retry_after = parse_retry_after(_lowered(headers).get("retry-after"), now)
    if mentions_secondary_limit(message):
        wait = retry_after if retry_after is not None else DEFAULT_SECONDARY_WAIT
        return Refusal(RefusalKind.secondary, rate_limit, wait)
    if rate_limit is not None and rate_limit.is_exhausted:
        return Refusal(RefusalKind.primary, rate_limit, retry_after)
    if retry_after is not None:
        return Refusal(RefusalKind.secondary, rate_limit, retry_after)
    if status == 429:
        return Refusal(RefusalKind.secondary, rate_limit, DEFAULT_SECONDARY_WAIT)
    return Refusal(RefusalKind.forbidden, rate_limit)
