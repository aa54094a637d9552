"""Our own rate limits on the HTTP API, sign-in and webhook receivers (pure ASGI middleware).

Every API request counts against its address and, with a session cookie, against its session;
sign-in and webhook deliveries count against their address. Over a limit: 429 with
``Retry-After`` and the usual JSON error body.
"""

from __future__ import annotations

import hashlib

import orjson
import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SESSION_COOKIE
from hubdeck.web.errors import error_body

log = structlog.get_logger(__name__)

_SESSION_COOKIES = (SESSION_COOKIE.encode(), INSECURE_SESSION_COOKIE.encode())


def _scopes(path: str) -> tuple[str, ...]:
    if path.startswith("/api/"):
        return ("api:ip", "api:session")
    if path.startswith("/auth/"):
        return ("signin:ip",)
    if path.startswith("/webhooks/"):
        return ("webhooks:ip",)
    return ()


def _session_key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name != b"cookie":
            continue
        for part in value.split(b";"):
            key, _, cookie = part.strip().partition(b"=")
            if key in _SESSION_COOKIES and cookie:
                # Keyed by a hash: the limiter's storage never holds a usable session id.
                return hashlib.sha256(cookie).hexdigest()[:32]
    return None


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scopes = _scopes(scope["path"])
        runtime = getattr(scope["app"].state, "runtime", None) if "app" in scope else None
        limiter = None if runtime is None else runtime.rate_limiter
        if not scopes or limiter is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        for name in scopes:
            key = _session_key(scope) if name.endswith(":session") else address
            if key is None:
                continue
            try:
                wait = await limiter.hit(name, key)
            except Exception:
                # The limiter's storage (Redis) away: serve rather than refuse everyone.
                log.warning("ratelimit.unavailable", exc_info=True)
                break
            if wait is not None:
                await _too_many(send, wait)
                return
        await self.app(scope, receive, send)


async def _too_many(send: Send, wait: float) -> None:
    body = orjson.dumps(error_body("rate_limited", "too many requests; try again later"))
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(int(wait)).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
