"""Teams, invitations and followed repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hubdeck.core.errors import NotFound
from hubdeck.core.teams import Permission
from hubdeck.core.users import Role
from hubdeck.ports import StoredRepository
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.positions import read_position, set_position
from hubdeck.web.routes.auth import TeamOut
from hubdeck.web.session import CurrentUserId, rotate_session

router = APIRouter(prefix="/api", tags=["teams"])

# A page view refreshes a repository at most this often; webhooks keep it fresher still.
VIEW_REFRESH_AFTER = timedelta(seconds=60)

TeamId = Annotated[int, Path(ge=1)]
RepositoryId = Annotated[int, Path(ge=1)]


class TeamIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    github_org: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9-]+$")


class InvitationIn(BaseModel):
    role: Role = Role.member
    # Addressed to a HubDeck user (who is notified); without it, a link to hand out.
    login: str | None = Field(default=None, min_length=1, max_length=100)


class InvitationOut(BaseModel):
    token: str
    url: str
    role: Role


class FollowIn(BaseModel):
    full_name: str = Field(min_length=3, max_length=200, pattern=r"^[\w.-]+/[\w.-]+$")


class RepositoryOut(BaseModel):
    id: int
    github_id: int
    full_name: str
    owner: str
    name: str
    private: bool
    description: str | None
    html_url: str
    default_branch: str
    stars: int
    forks: int
    watchers: int
    open_issues: int
    topics: list[str]
    language: str | None
    archived: bool
    pushed_at: datetime | None
    synced_at: datetime | None
    languages: dict[str, int]


class CandidateOut(BaseModel):
    github_id: int
    full_name: str
    private: bool
    description: str | None
    stars: int
    language: str | None
    pushed_at: datetime | None
    followed: bool
    repository_id: int | None


def repository_out(stored: StoredRepository) -> RepositoryOut:
    r = stored.repository
    return RepositoryOut(
        id=stored.id,
        github_id=r.github_id,
        full_name=r.full_name,
        owner=r.owner,
        name=r.name,
        private=r.private,
        description=r.description,
        html_url=r.html_url,
        default_branch=r.default_branch,
        stars=r.stars,
        forks=r.forks,
        watchers=r.watchers,
        open_issues=r.open_issues,
        topics=list(r.topics),
        language=r.language,
        archived=r.archived,
        pushed_at=r.pushed_at,
        synced_at=stored.synced_at,
        languages=stored.languages,
    )


@router.post("/teams", status_code=201)
async def create_team(body: TeamIn, runtime: RuntimeDep, user_id: CurrentUserId) -> TeamOut:
    team = await runtime.teams.create(user_id, body.name, body.github_org)
    return TeamOut(
        id=team.id, slug=team.slug, name=team.name, github_org=team.github_org, role="owner"
    )


@router.get("/teams/{team_id}")
async def get_team(team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId) -> TeamOut:
    team, role = await runtime.teams.get(team_id, user_id)
    return TeamOut(
        id=team.id, slug=team.slug, name=team.name, github_org=team.github_org, role=role.value
    )


@router.post("/teams/{team_id}/invitations", status_code=201)
async def invite(
    team_id: TeamId, body: InvitationIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> InvitationOut:
    if body.login is None:
        invitation = await runtime.teams.invite(team_id, user_id, body.role)
    else:
        invitees = await runtime.users.find_logins([body.login])
        inviter = await runtime.users.get(user_id)
        if body.login not in invitees or inviter is None:
            raise NotFound(f"nobody signed in to HubDeck as {body.login}; share a link instead")
        invitation = await runtime.teams.invite_user(
            team_id, user_id, invitees[body.login], body.role, inviter.login
        )
    base = str(runtime.settings.public_url).rstrip("/")
    return InvitationOut(
        token=invitation.token, url=f"{base}/join/{invitation.token}", role=invitation.role
    )


@router.post("/invitations/{token}/accept")
async def accept(
    token: Annotated[str, Path(min_length=10, max_length=100)],
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    request: Request,
    response: Response,
) -> TeamOut:
    team = await runtime.teams.accept(token, user_id)
    await rotate_session(request, response, runtime)  # new privileges, new session id
    _, role = await runtime.teams.get(team.id, user_id)
    return TeamOut(
        id=team.id, slug=team.slug, name=team.name, github_org=team.github_org, role=role.value
    )


@router.get("/teams/{team_id}/candidates")
async def candidates(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> list[CandidateOut]:
    """Repositories you can see on GitHub, marked when the team follows them already."""
    found = await runtime.repositories.candidates(team_id, user_id)
    return [
        CandidateOut(
            github_id=c.repository.github_id,
            full_name=c.repository.full_name,
            private=c.repository.private,
            description=c.repository.description,
            stars=c.repository.stars,
            language=c.repository.language,
            pushed_at=c.repository.pushed_at,
            followed=c.repository_id is not None,
            repository_id=c.repository_id,
        )
        for c in found
    ]


@router.get("/teams/{team_id}/repositories")
async def list_repositories(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId, response: Response
) -> list[RepositoryOut]:
    # Position before data: nothing that happens after the snapshot can fall behind it.
    position = await read_position(runtime, f"team:{team_id}")
    repositories = await runtime.teams.repositories(team_id, user_id)
    set_position(response, position)
    return [repository_out(r) for r in repositories]


@router.post("/teams/{team_id}/repositories", status_code=201)
async def follow(
    team_id: TeamId, body: FollowIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> RepositoryOut:
    # The repository.followed event queues its first sync.
    return repository_out(await runtime.repositories.follow(team_id, user_id, body.full_name))


@router.delete("/teams/{team_id}/repositories/{repository_id}", status_code=204)
async def unfollow(
    team_id: TeamId, repository_id: RepositoryId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    await runtime.repositories.unfollow(team_id, user_id, repository_id)
    return Response(status_code=204)


@router.get("/teams/{team_id}/repositories/{repository_id}")
async def get_repository(
    team_id: TeamId,
    repository_id: RepositoryId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    response: Response,
) -> RepositoryOut:
    position = await read_position(runtime, f"repo:{repository_id}")
    stored = await runtime.repositories.get(team_id, user_id, repository_id)
    set_position(response, position)
    # Someone is looking: unless it was synced a moment ago, this repository goes to the front
    # of the sync queue.
    if stored.synced_at is None or datetime.now(UTC) - stored.synced_at > VIEW_REFRESH_AFTER:
        runtime.scheduler.request(repository_id)
    return repository_out(stored)


@router.post("/teams/{team_id}/repositories/{repository_id}/sync", status_code=202)
async def sync_now(
    team_id: TeamId, repository_id: RepositoryId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    # Asking for a sync spends the team's GitHub quota: the permission that follows repositories.
    await runtime.teams.require(team_id, user_id, Permission.follow)
    await runtime.repositories.get(team_id, user_id, repository_id)
    runtime.scheduler.request(repository_id)
    return {"status": "queued"}
