"""Session policy: opaque ids, their hashes, and when a session stops being valid."""

from __future__ import annotations

import hashlib
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


def hash_session_id(session_id: str) -> str:
    """What is stored: a leaked sessions table must not let anyone sign in."""
    return hashlib.sha256(session_id.encode()).hexdigest()


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
        return now - record.last_seen_at < self.idle_timeout
