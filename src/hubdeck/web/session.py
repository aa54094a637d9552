"""The session cookie, the current user, and CSRF protection of cookie-authenticated writes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from hubdeck.config import Settings
from hubdeck.core.errors import PermissionDenied, Unauthenticated
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SESSION_COOKIE
from hubdeck.services.auth import Principal
from hubdeck.web.deps import RuntimeDep

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def cookie_name(settings: Settings) -> str:
    # ``__Host-`` requires Secure, which a browser only keeps over https; plain http is only
    # acceptable on localhost (development and the demo).
    return (
        SESSION_COOKIE
        if str(settings.public_url).startswith("https://")
        else INSECURE_SESSION_COOKIE
    )


def set_session_cookie(response: Response, settings: Settings, session_id: str) -> None:
    secure = str(settings.public_url).startswith("https://")
    response.set_cookie(
        cookie_name(settings),
        session_id,
        max_age=30 * 24 * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        secure=str(settings.public_url).startswith("https://"),
        httponly=True,
        samesite="lax",
    )


def session_id_of(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(INSECURE_SESSION_COOKIE)


def _check_origin(request: Request, settings: Settings) -> None:
    """Cookie-authenticated writes must come from HubDeck's own pages (CSRF): browsers send
    ``Origin`` on every cross-site and same-site POST/PUT/PATCH/DELETE."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser (API clients do not carry the cookie of a signed-in browser)
    allowed = {_origin(str(settings.public_url)), _origin(str(request.base_url))}
    if _origin(origin) not in allowed:
        raise PermissionDenied("cross-site request refused")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


async def current_principal(request: Request, runtime: RuntimeDep) -> Principal:
    session_id = session_id_of(request)
    if session_id is None:
        raise Unauthenticated("sign in first")
    if request.method in _UNSAFE:
        _check_origin(request, runtime.settings)
    return await runtime.authenticator.session_principal(session_id, activity=True)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def current_user_id(principal: CurrentPrincipal) -> int:
    return principal.user_id


CurrentUserId = Annotated[int, Depends(current_user_id)]
