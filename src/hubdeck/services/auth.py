"""Who is calling: sessions (cookies) for browsers, signed connect tokens for API clients."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import jwt

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Unauthenticated
from hubdeck.core.sessions import (
    SessionPolicy,
    SessionRecord,
    csrf_token_for,
    csrf_token_matches,
    hash_session_id,
    new_session_id,
)
from hubdeck.ports import SessionStore
from hubdeck.services.recent import DEFAULT_TTL, Recent

# Tokens are signed with the server's secret key; the audience keeps a token made for the
# real-time connection from being accepted anywhere else that might use the same key.
_TOKEN_AUDIENCE = "hubdeck:realtime"  # noqa: S105 (a claim, not a secret)
_TOKEN_ALGORITHM = "HS256"  # noqa: S105
# last_seen_at is written at most this often: a busy user would otherwise cost a write per request.
_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    session_hash: str | None  # None when authenticated by a connect token


class Authenticator:
    def __init__(
        self,
        sessions: SessionStore,
        policy: SessionPolicy,
        clock: Clock,
        secret_key: str,
        *,
        remember_for: float = DEFAULT_TTL,
    ) -> None:
        """``remember_for``: seconds a live session read from the store is trusted without
        reading it again (0: read on every request). Revocations made through this process
        are forgotten at once; ``forget`` is for those heard of from other processes."""
        self._sessions = sessions
        self._policy = policy
        self._clock = clock
        self._secret = secret_key
        self._recent: Recent[str, SessionRecord] = Recent(remember_for)

    async def sign_in(
        self, user_id: int, *, user_agent: str | None = None, ip: str | None = None
    ) -> str:
        """Create a session and return its opaque id (the cookie value)."""
        session_id = new_session_id()
        now = self._clock.now()
        await self._sessions.create(
            SessionRecord(
                id_hash=hash_session_id(session_id),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=self._policy.expiry_for(now),
                user_agent=user_agent,
                ip=ip,
            )
        )
        return session_id

    async def session_principal(self, session_id: str, *, activity: bool = False) -> Principal:
        """The principal of a live session; ``activity`` marks a user action (slides idle)."""
        id_hash = hash_session_id(session_id)
        now = self._clock.now()
        epoch = self._recent.epoch
        record = self._recent.get(id_hash)
        if record is None or not self._policy.is_valid(record, now):
            # A remembered record only ever lets a request in: a refusal is the store's word
            # (another process may have seen the session active since).
            record = await self._sessions.get(id_hash)
            if record is None or not self._policy.is_valid(record, now):
                raise Unauthenticated("session expired or signed out")
        if activity and now - record.last_seen_at >= _TOUCH_INTERVAL:
            await self._sessions.touch(id_hash, now)
            record = replace(record, last_seen_at=now)
        self._recent.put(id_hash, record, epoch)
        return Principal(user_id=record.user_id, session_hash=id_hash)

    def forget(self, session_hashes: Iterable[str]) -> None:
        """These sessions were revoked or rotated: read them from the store next time."""
        for id_hash in session_hashes:
            self._recent.forget(id_hash)

    def forget_all(self) -> None:
        """Changes may have gone unheard (the broadcaster reconnected)."""
        self._recent.clear()

    async def user_agents_seen(self, user_id: int) -> set[str | None]:
        """The user agents of the user's sessions so far (devices they signed in from)."""
        return {record.user_agent for record in await self._sessions.list_for_user(user_id)}

    async def sign_out(self, session_id: str) -> bool:
        id_hash = hash_session_id(session_id)
        revoked = await self._sessions.revoke(id_hash, self._clock.now())
        # After the store's change, so that no read from before it is remembered after it.
        self._recent.forget(id_hash)
        return revoked

    @property
    def policy(self) -> SessionPolicy:
        return self._policy

    @property
    def sessions(self) -> SessionStore:
        return self._sessions

    async def rotate(self, session_id: str) -> tuple[str, str] | None:
        """Replace a live session by a new id with the same lifetime (its absolute expiry does
        not move); the old id stops working. (new id, old hash), or None if not live."""
        old_hash = hash_session_id(session_id)
        record = await self._sessions.get(old_hash)
        now = self._clock.now()
        if record is None or not self._policy.is_valid(record, now):
            return None
        new_id = new_session_id()
        await self._sessions.create(
            SessionRecord(
                id_hash=hash_session_id(new_id),
                user_id=record.user_id,
                created_at=record.created_at,
                last_seen_at=now,
                expires_at=record.expires_at,
                user_agent=record.user_agent,
                ip=record.ip,
            )
        )
        await self._sessions.revoke(old_hash, now)
        self._recent.forget(old_hash)
        return new_id, old_hash

    def csrf_token(self, session_id: str) -> str:
        return csrf_token_for(self._secret, hash_session_id(session_id))

    def csrf_ok(self, session_hash: str, given: str | None) -> bool:
        return given is not None and csrf_token_matches(self._secret, session_hash, given)

    def issue_connect_token(self, user_id: int, ttl: timedelta = timedelta(minutes=15)) -> str:
        now = self._clock.now()
        claims = {"sub": str(user_id), "aud": _TOKEN_AUDIENCE, "iat": now, "exp": now + ttl}
        return jwt.encode(claims, self._secret, algorithm=_TOKEN_ALGORITHM)

    def verify_connect_token(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_TOKEN_ALGORITHM],
                audience=_TOKEN_AUDIENCE,
                # Expiry is checked below against the injected clock, not the library's.
                options={"require": ["sub", "exp", "aud"], "verify_exp": False},
            )
            user_id = int(claims["sub"])
            expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        except (jwt.PyJWTError, ValueError, TypeError):
            raise Unauthenticated("invalid token") from None
        if self._clock.now() >= expires:
            raise Unauthenticated("token expired")
        return Principal(user_id=user_id, session_hash=None)
