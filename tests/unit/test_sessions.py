from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hubdeck.core.sessions import SessionPolicy, SessionRecord, hash_session_id, new_session_id

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
POLICY = SessionPolicy(idle_timeout=timedelta(hours=1), absolute_timeout=timedelta(days=1))


def record(**changes: object) -> SessionRecord:
    values: dict[str, object] = {
        "id_hash": "h",
        "user_id": 1,
        "created_at": NOW,
        "last_seen_at": NOW,
        "expires_at": POLICY.expiry_for(NOW),
    }
    values.update(changes)
    return SessionRecord(**values)  # type: ignore[arg-type]


def test_ids_are_256_bits_and_stored_hashed() -> None:
    session_id = new_session_id()
    assert len(session_id) == 43  # 32 bytes, URL-safe base64 without padding
    assert new_session_id() != session_id
    assert hash_session_id(session_id) == hash_session_id(session_id)
    assert session_id not in hash_session_id(session_id)
    assert len(hash_session_id(session_id)) == 64


def test_fresh_session_is_valid() -> None:
    assert POLICY.is_valid(record(), NOW + timedelta(minutes=59))


def test_idle_timeout() -> None:
    assert not POLICY.is_valid(record(), NOW + timedelta(hours=1))
    assert POLICY.is_valid(
        record(last_seen_at=NOW + timedelta(hours=5)), NOW + timedelta(hours=5, minutes=30)
    )


def test_absolute_timeout_holds_even_when_active() -> None:
    later = NOW + timedelta(days=1)
    assert not POLICY.is_valid(record(last_seen_at=later - timedelta(seconds=1)), later)


def test_revoked_session_is_invalid() -> None:
    assert not POLICY.is_valid(record(revoked_at=NOW), NOW)
