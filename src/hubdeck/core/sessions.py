"""Session policy: opaque ids, their hashes, and when a session stops being valid."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SESSION_COOKIE = "__Host-hubdeck_session"
# A ``__Host-`` cookie requires Secure, which browsers refuse over plain http; on http://localhost
# (development, the demo) the cookie goes without the prefix and without Secure.
INSECURE_SESSION_COOKIE = "hubdeck_session"


def new_session_id() -> str:
    """An opaque 256-bit session id, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_secret_token(token: str) -> str:
    """What is stored of a bearer secret (a session id, an invitation or share-link token): a
    leaked table must not let anyone in."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_session_id(session_id: str) -> str:
    return hash_secret_token(session_id)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id_hash: str
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str | None = None
    ip: str | None = None


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle_timeout: timedelta = timedelta(days=14)
    absolute_timeout: timedelta = timedelta(days=30)

    def expiry_for(self, created_at: datetime) -> datetime:
        return created_at + self.absolute_timeout

    def is_valid(self, record: SessionRecord, now: datetime) -> bool:
        if record.revoked_at is not None:
            return False
        if now >= record.expires_at:
            return False
        if now - record.created_at >= self.absolute_timeout:
            return False  # also when the timeout was shortened after the session began
        return now - record.last_seen_at < self.idle_timeout


def public_session_id(id_hash: str) -> str:
    """The name a session goes by in the API (devices page, revocation pushes): derived from the
    stored hash, so it reveals neither the cookie nor the stored key."""
    return hashlib.sha256(b"hubdeck-device:" + id_hash.encode()).hexdigest()[:24]


def csrf_token_for(secret_key: str, id_hash: str) -> str:
    """The CSRF token of one session: an HMAC of its hash under the server's key, so any process
    can check it without storing it, and it changes with every new (rotated) session."""
    digest = hmac.new(secret_key.encode(), b"csrf:" + id_hash.encode(), hashlib.sha256)
    return digest.hexdigest()


def csrf_token_matches(secret_key: str, id_hash: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token_for(secret_key, id_hash), given)
