"""The session cookie, the current user, and CSRF protection of cookie-authenticated writes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from hubdeck.config import Settings
from hubdeck.core.errors import PermissionDenied, Unauthenticated
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SESSION_COOKIE
from hubdeck.runtime import Runtime
from hubdeck.services.auth import Principal
from hubdeck.web.deps import RuntimeDep

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BACKGROUND_HEADER = "x-hubdeck-background"
CSRF_HEADER = "x-csrf-token"
# The CSRF token in a cookie the page's script reads and echoes in the header (double submit);
# the server checks the header against the session, so a forged cookie gains nothing.
CSRF_COOKIE = "__Host-hubdeck_csrf"
INSECURE_CSRF_COOKIE = "hubdeck_csrf"


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
        max_age=int(settings.session_absolute_timeout),
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


def set_csrf_cookie(response: Response, settings: Settings, token: str) -> None:
    secure = str(settings.public_url).startswith("https://")
    response.set_cookie(
        CSRF_COOKIE if secure else INSECURE_CSRF_COOKIE,
        token,
        max_age=int(settings.session_absolute_timeout),
        path="/",
        secure=secure,
        httponly=False,  # read by the page's script, which sends it back in X-CSRF-Token
        samesite="lax",
    )


def set_session_cookies(
    response: Response, settings: Settings, session_id: str, csrf_token: str
) -> None:
    set_session_cookie(response, settings, session_id)
    set_csrf_cookie(response, settings, csrf_token)


def session_id_of(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(INSECURE_SESSION_COOKIE)


def _check_origin(request: Request, settings: Settings) -> None:
    """Cookie-authenticated writes must come from HubDeck's own pages (CSRF): browsers send
    ``Origin`` on every cross-site and same-site POST/PUT/PATCH/DELETE."""
    # Browsers send Origin on every write; a Referer stands in for the few that strip Origin.
    # With neither, the write is refused: a cookie alone never authorizes a write.
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        raise PermissionDenied("cross-site request refused: no Origin")
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
    # Requests the page makes by itself (polling, background refetches) say so; they must not
    # keep an unattended session alive past its idle timeout.
    activity = request.headers.get(BACKGROUND_HEADER) != "1"
    principal = await runtime.authenticator.session_principal(session_id, activity=activity)
    if request.method in _UNSAFE and principal.session_hash is not None:
        given = request.headers.get(CSRF_HEADER)
        if not runtime.authenticator.csrf_ok(principal.session_hash, given):
            raise PermissionDenied("missing or wrong CSRF token (X-CSRF-Token)")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def current_user_id(principal: CurrentPrincipal) -> int:
    return principal.user_id


CurrentUserId = Annotated[int, Depends(current_user_id)]


async def rotate_session(request: Request, response: Response, runtime: Runtime) -> None:
    """A new session id after a change of privileges (e.g. joining a team): a session id seen
    before the change is worth nothing after it. The response carries the new cookies."""
    session_id = session_id_of(request)
    service = runtime.session_service
    if session_id is None or service is None:
        return
    new_id = await service.rotate(session_id)
    if new_id is not None:
        token = runtime.authenticator.csrf_token(new_id)
        set_session_cookies(response, runtime.settings, new_id, token)
