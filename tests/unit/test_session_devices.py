"""Devices read from user agents; public ids and CSRF tokens of sessions; the absolute
timeout checked against the creation time as well as the stored expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubdeck.core.sessions import (
    SessionPolicy,
    SessionRecord,
    csrf_token_for,
    csrf_token_matches,
    public_session_id,
)
from hubdeck.services.devices import device_of

T0 = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            ("Firefox 128", "Linux", "desktop"),
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            ("Mobile Safari 17", "iOS", "mobile"),
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            ("Mobile Safari 17", "iOS", "tablet"),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            ("Chrome 131", "Windows", "desktop"),
        ),
        (None, ("Unknown browser", "Unknown OS", "unknown")),
        ("pytest", ("Unknown browser", "Unknown OS", "unknown")),
    ],
)
def test_device_of_a_user_agent(agent: str | None, expected: tuple[str, str, str]) -> None:
    device = device_of(agent)
    assert (device.browser, device.os, device.kind) == expected


def test_public_id_and_csrf_token_are_stable_and_distinct() -> None:
    assert public_session_id("a" * 64) == public_session_id("a" * 64)
    assert public_session_id("a" * 64) != public_session_id("b" * 64)
    assert len(public_session_id("a" * 64)) == 24
    token = csrf_token_for("key", "a" * 64)
    assert csrf_token_matches("key", "a" * 64, token)
    assert not csrf_token_matches("key", "b" * 64, token)
    assert not csrf_token_matches("other-key", "a" * 64, token)


def test_absolute_timeout_holds_even_for_a_session_stored_with_a_later_expiry() -> None:
    policy = SessionPolicy(idle_timeout=timedelta(hours=1), absolute_timeout=timedelta(hours=4))
    record = SessionRecord(
        id_hash="a" * 64,
        user_id=1,
        created_at=T0,
        last_seen_at=T0 + timedelta(hours=4, minutes=-1),
        expires_at=T0 + timedelta(days=30),  # issued when the timeout was longer
    )
    assert policy.is_valid(record, T0 + timedelta(hours=4, minutes=-1))
    assert not policy.is_valid(record, T0 + timedelta(hours=4))
