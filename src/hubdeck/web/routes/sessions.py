"""The signed-in user's devices (sessions), the CSRF token, and preferences across devices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from hubdeck.core.errors import Unauthenticated
from hubdeck.core.preferences import PreferencesPatch, UserPreferences
from hubdeck.runtime import Runtime
from hubdeck.services.preferences import PreferenceService
from hubdeck.services.sessions import SessionService
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import CurrentPrincipal, session_id_of, set_csrf_cookie

router = APIRouter(prefix="/api", tags=["sessions"])

SessionId = Annotated[str, Path(pattern=r"^[0-9a-f]{24}$")]


class DeviceOut(BaseModel):
    id: str
    current: bool
    browser: str
    os: str
    device_type: str
    ip: str | None
    created_at: datetime
    last_seen_at: datetime
    connections: int


class DevicesOut(BaseModel):
    sessions: list[DeviceOut]


class RevokedOut(BaseModel):
    revoked: int


class CsrfOut(BaseModel):
    token: str


def _sessions(runtime: Runtime) -> SessionService:
    assert runtime.session_service is not None, "wired by the composition root"
    return runtime.session_service


def _preferences(runtime: Runtime) -> PreferenceService:
    assert runtime.preferences is not None, "wired by the composition root"
    return runtime.preferences


def _session_hash(principal: CurrentPrincipal) -> str:
    if principal.session_hash is None:
        raise Unauthenticated("a browser session is required")
    return principal.session_hash


@router.get("/sessions")
async def list_sessions(runtime: RuntimeDep, principal: CurrentPrincipal) -> DevicesOut:
    """Where the user is signed in: this device (``current``) first."""
    devices = await _sessions(runtime).devices(principal.user_id, principal.session_hash)
    return DevicesOut(sessions=[DeviceOut.model_validate(d, from_attributes=True) for d in devices])


@router.delete("/sessions/{session_id}", status_code=204)
async def revoke_session(
    session_id: SessionId, runtime: RuntimeDep, principal: CurrentPrincipal
) -> Response:
    """Sign one device out, at once: its sockets close and its next request gets 401."""
    await _sessions(runtime).revoke(principal.user_id, session_id)
    await _audit(runtime, principal.user_id, {"session": session_id, "count": 1})
    return Response(status_code=204)


@router.post("/sessions/revoke-others")
async def revoke_other_sessions(runtime: RuntimeDep, principal: CurrentPrincipal) -> RevokedOut:
    """Sign out every device but this one."""
    count = await _sessions(runtime).revoke_others(principal.user_id, _session_hash(principal))
    if count:
        await _audit(runtime, principal.user_id, {"others": True, "count": count})
    return RevokedOut(revoked=count)


async def _audit(runtime: Runtime, user_id: int, data: dict[str, object]) -> None:
    """Each team of the person keeps a line in its audit log: their devices were signed out
    (which device, never the session's secret id: the public id the devices page shows)."""
    user = await runtime.users.get(user_id)
    login = user.login if user is not None else str(user_id)
    for team, _ in await runtime.teams.mine(user_id):
        await runtime.audit.record(team.id, "session.revoked", user_id, login, dict(data))


@router.get("/auth/csrf")
async def csrf_token(
    request: Request, response: Response, runtime: RuntimeDep, principal: CurrentPrincipal
) -> CsrfOut:
    """The CSRF token of this session (also set as a cookie the page reads)."""
    session_id = session_id_of(request)
    assert session_id is not None  # a principal came from it
    token = runtime.authenticator.csrf_token(session_id)
    set_csrf_cookie(response, runtime.settings, token)
    return CsrfOut(token=token)


@router.get("/preferences")
async def get_preferences(runtime: RuntimeDep, principal: CurrentPrincipal) -> UserPreferences:
    return await _preferences(runtime).get(principal.user_id)


@router.patch("/preferences")
async def update_preferences(
    body: PreferencesPatch, runtime: RuntimeDep, principal: CurrentPrincipal
) -> UserPreferences:
    """Change some preferences; every open device of the user follows."""
    return await _preferences(runtime).update(principal.user_id, body)
