"""hubdeck.core.github.ratelimit: typed rate-limit headers and the meaning of a 403/429."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hubdeck.core.github.ratelimit import (
    DEFAULT_SECONDARY_WAIT,
    RateLimit,
    Refusal,
    RefusalKind,
    classify_refusal,
    is_exhausted,
    parse_rate_limit,
    parse_retry_after,
    reset_at,
)

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
RESET = int(NOW.timestamp()) + 1800
# GitHub's own messages (docs.github.com, "Rate limits for the REST API").
PRIMARY_MESSAGE = "API rate limit exceeded for user ID 1."
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
ABUSE_MESSAGE = "You have triggered an abuse detection mechanism. Please wait a few minutes."


def limits(remaining: int, **extra: str) -> dict[str, str]:
    return {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-used": str(5000 - remaining),
        "x-ratelimit-reset": str(RESET),
        "x-ratelimit-resource": "core",
    } | extra


def test_parse_the_five_headers() -> None:
    parsed = parse_rate_limit(limits(4321))
    assert parsed == RateLimit(limit=5000, remaining=4321, used=679, reset=RESET, resource="core")
    assert parsed.reset_at == NOW + timedelta(seconds=1800)
    assert parsed.reset_at.tzinfo is UTC
    assert parsed.seconds_until_reset(NOW) == 1800
    assert parsed.seconds_until_reset(NOW + timedelta(hours=1)) == 0
    assert not parsed.is_exhausted and not is_exhausted(parsed)
    assert reset_at(parsed) == parsed.reset_at


def test_names_are_case_insensitive_in_plain_and_httpx_mappings() -> None:
    shouting = {k.upper(): v for k, v in limits(10).items()}
    assert parse_rate_limit(shouting) == parse_rate_limit(limits(10))
    assert parse_rate_limit(httpx.Headers(shouting)) == parse_rate_limit(limits(10))


def test_missing_pieces() -> None:
    assert parse_rate_limit({}) is None
    assert parse_rate_limit({"x-ratelimit-limit": "60"}) is None
    assert parse_rate_limit(limits(5) | {"x-ratelimit-remaining": "lots"}) is None
    assert is_exhausted(None) is False and reset_at(None) is None
    # Without used or resource: derived, and the core bucket.
    bare = {
        k: v
        for k, v in limits(7).items()
        if k in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
    }
    assert parse_rate_limit(bare) == RateLimit(5000, 7, 4993, RESET, "core")


def test_a_reset_in_milliseconds_is_read_as_such() -> None:
    parsed = parse_rate_limit(limits(1) | {"x-ratelimit-reset": str(RESET * 1000)})
    assert parsed is not None and parsed.reset == RESET


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("60", NOW) == 60
    assert parse_retry_after(" 7 ", NOW) == 7
    assert parse_retry_after("Mon, 03 Mar 2025 12:01:30 GMT", NOW) == 90
    assert parse_retry_after("Mon, 03 Mar 2025 11:00:00 GMT", NOW) == 0  # past: no wait
    assert parse_retry_after("-5", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None and parse_retry_after("", NOW) is None


@pytest.mark.parametrize(
    ("status", "headers", "message", "expected"),
    [
        # Primary: the bucket is empty.
        (403, limits(0), PRIMARY_MESSAGE, RefusalKind.primary),
        (429, limits(0), PRIMARY_MESSAGE, RefusalKind.primary),
        # Secondary: retry-after, or the message, or a 429 with quota left.
        (403, limits(4000, **{"retry-after": "60"}), SECONDARY_MESSAGE, RefusalKind.secondary),
        (403, limits(4000, **{"retry-after": "30"}), "Forbidden", RefusalKind.secondary),
        (403, limits(4000), SECONDARY_MESSAGE, RefusalKind.secondary),
        (403, {}, ABUSE_MESSAGE, RefusalKind.secondary),
        (429, limits(4000), "Too Many Requests", RefusalKind.secondary),
        # The message wins over an empty bucket: a secondary limit can hit at remaining 0.
        (403, limits(0), SECONDARY_MESSAGE, RefusalKind.secondary),
        # Anything else is a plain refusal.
        (403, limits(4000), "Resource not accessible by integration", RefusalKind.forbidden),
        (403, {}, None, RefusalKind.forbidden),
    ],
)
def test_classify_refusal(
    status: int, headers: dict[str, str], message: str | None, expected: RefusalKind
) -> None:
    assert classify_refusal(status, headers, message, NOW).kind is expected


def test_refusals_say_how_long_to_wait() -> None:
    primary = classify_refusal(403, limits(0), PRIMARY_MESSAGE, NOW)
    assert primary.rate_limit is not None and primary.rate_limit.is_exhausted
    assert primary.wait_seconds(NOW) == 1800
    with_header = classify_refusal(403, limits(10, **{"retry-after": "42"}), None, NOW)
    assert with_header.retry_after == 42 and with_header.wait_seconds(NOW) == 42
    # No retry-after: GitHub asks for at least a minute.
    without = classify_refusal(403, limits(10), SECONDARY_MESSAGE, NOW)
    assert without.retry_after == DEFAULT_SECONDARY_WAIT == 60
    forbidden = classify_refusal(403, limits(10), "Must have admin rights", NOW)
    assert forbidden == Refusal(RefusalKind.forbidden, parse_rate_limit(limits(10)))
    assert forbidden.wait_seconds(NOW) is None
