"""Sign in with GitHub, sign out, and who am I."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from hubdeck.core.errors import InvalidInput, Unauthenticated
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import (
    CurrentUserId,
    clear_session_cookie,
    session_id_of,
    set_session_cookies,
)

router = APIRouter(tags=["auth"])


@router.get("/auth/github/login", include_in_schema=False)
async def login(runtime: RuntimeDep, next: str = "/") -> RedirectResponse:
    start = await runtime.login.start(next)
    return RedirectResponse(runtime.login_redirect(start), status_code=302)


@router.get("/auth/github/callback", include_in_schema=False)
async def callback(
    request: Request,
    runtime: RuntimeDep,
    code: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    if error or not code or not state:
        # Denied on GitHub's page, or a broken link: back to the sign-in page, with the reason.
        reason = error or "missing_code"
        return RedirectResponse("/signin?" + urlencode({"error": reason}), status_code=302)
    try:
        done = await runtime.login.finish(
            code,
            state,
            user_agent=request.headers.get("user-agent"),
            ip=request.client.host if request.client else None,
        )
    except InvalidInput:
        # A browser is at the other end: a page that says what happened beats raw JSON.
        return RedirectResponse("/signin?" + urlencode({"error": "expired"}), status_code=302)
    # Rotation on sign-in: whatever session this browser had before ends (no fixation).
    previous = session_id_of(request)
    if previous is not None and runtime.session_service is not None:
        await runtime.session_service.sign_out(previous)
    response = RedirectResponse(done.next_path, status_code=302)
    csrf = runtime.authenticator.csrf_token(done.session_id)
    set_session_cookies(response, runtime.settings, done.session_id, csrf)
    return response


@router.post("/api/auth/logout", status_code=204)
async def logout(request: Request, runtime: RuntimeDep, user_id: CurrentUserId) -> Response:
    session_id = session_id_of(request)
    if session_id is not None and runtime.session_service is not None:
        await runtime.session_service.sign_out(session_id)  # its sockets close too
    elif session_id is not None:
        await runtime.authenticator.sign_out(session_id)
    response = Response(status_code=204)
    clear_session_cookie(response, runtime.settings)
    return response


class UserOut(BaseModel):
    id: int
    login: str
    name: str | None
    avatar_url: str | None


class TeamOut(BaseModel):
    id: int
    slug: str
    name: str
    github_org: str | None
    role: str


class MeOut(BaseModel):
    user: UserOut
    teams: list[TeamOut]


@router.get("/api/me")
async def me(runtime: RuntimeDep, user_id: CurrentUserId) -> MeOut:
    user = await runtime.users.get(user_id)
    if user is None:  # deleted while signed in
        raise Unauthenticated("sign in first")
    teams = await runtime.teams.mine(user_id)
    return MeOut(
        user=UserOut(id=user.id, login=user.login, name=user.name, avatar_url=user.avatar_url),
        teams=[
            TeamOut(id=t.id, slug=t.slug, name=t.name, github_org=t.github_org, role=role.value)
            for t, role in teams
        ],
    )
