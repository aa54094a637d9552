"""A team's members and roles, and its audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from hubdeck.core.audit import to_csv
from hubdeck.core.errors import NotFound
from hubdeck.core.users import Role, User
from hubdeck.services.teams import Names
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.routes.teams import TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["teams"])

UserId = Annotated[int, Path(ge=1)]


class MemberOut(BaseModel):
    user_id: int
    login: str
    name: str | None
    avatar_url: str | None
    role: Role


class RoleIn(BaseModel):
    role: Role


class AuditOut(BaseModel):
    id: str
    type: str
    occurred_at: datetime
    actor: str | None
    subject: str
    data: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditOut]
    next_before: datetime | None


async def _people(runtime: RuntimeDep, actor_id: int, target_id: int) -> tuple[User, Names]:
    """The member a change is about, and the logins its event names."""
    users = await runtime.users.get_many([actor_id, target_id])
    if target_id not in users:
        raise NotFound("no such member")
    actor = users.get(actor_id)
    names = Names(subject=users[target_id].login, actor=actor.login if actor else "")
    return users[target_id], names


@router.get("/teams/{team_id}/members")
async def list_members(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> list[MemberOut]:
    members = await runtime.teams.members(team_id, user_id)
    users = await runtime.users.get_many([m.user_id for m in members])
    out = [
        MemberOut(
            user_id=m.user_id,
            login=users[m.user_id].login,
            name=users[m.user_id].name,
            avatar_url=users[m.user_id].avatar_url,
            role=m.role,
        )
        for m in members
        if m.user_id in users
    ]
    order = list(Role)
    return sorted(out, key=lambda m: (order.index(m.role), m.login.lower()))


@router.patch("/teams/{team_id}/members/{member_id}")
async def change_role(
    team_id: TeamId, member_id: UserId, body: RoleIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> MemberOut:
    user, names = await _people(runtime, user_id, member_id)
    membership = await runtime.teams.change_role(
        team_id, user_id, member_id, body.role, names=names
    )
    return MemberOut(
        user_id=member_id,
        login=user.login,
        name=user.name,
        avatar_url=user.avatar_url,
        role=membership.role,
    )


@router.delete("/teams/{team_id}/members/{member_id}", status_code=204)
async def remove_member(
    team_id: TeamId, member_id: UserId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    _, names = await _people(runtime, user_id, member_id)
    await runtime.teams.remove_member(team_id, user_id, member_id, names=names)
    return Response(status_code=204)


@router.get("/teams/{team_id}/audit", response_model=None)
async def audit_log(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[datetime | None, Query(description="Only entries older than this.")] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> AuditPage | Response:
    events = await runtime.audit.entries(team_id, user_id, limit=limit, before=before)
    if format == "csv":
        return Response(
            to_csv(events),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="team-{team_id}-audit.csv"'},
        )
    items = [
        AuditOut(
            id=e.id,
            type=e.type,
            occurred_at=e.occurred_at,
            actor=e.actor,
            subject=e.subject,
            data=e.data,
        )
        for e in events
    ]
    return AuditPage(
        items=items, next_before=items[-1].occurred_at if len(items) == limit else None
    )
