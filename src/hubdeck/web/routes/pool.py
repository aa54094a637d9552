"""A team's rate-limit pool: its figures, and the shared credentials owners and admins manage.

Secrets (tokens, private keys) go in and never come out: no answer contains them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field, SecretStr

from hubdeck.core.errors import NotFound
from hubdeck.core.teams import Permission
from hubdeck.ports import StoredCredential
from hubdeck.services.pool import PoolService
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.routes.teams import TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["pool"])

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-/]+$")]


class _CredentialIn(BaseModel):
    label: Annotated[str, Field(min_length=1, max_length=200)]
    # Organizations (or users) whose private repositories the credential sees, and single
    # repositories as owner/name. Public repositories are always within reach.
    accounts: Annotated[list[Name], Field(max_length=100)] = []
    repositories: Annotated[list[Name], Field(max_length=1000)] = []


class ServiceTokenIn(_CredentialIn):
    kind: Literal["service"]
    token: Annotated[SecretStr, Field(min_length=1, max_length=500)]


class AppInstallationIn(_CredentialIn):
    kind: Literal["app"]
    app_id: Annotated[int, Field(ge=1)]
    installation_id: Annotated[int, Field(ge=1)]
    private_key: Annotated[SecretStr, Field(min_length=1, max_length=20_000)]


class CredentialOut(BaseModel):
    id: int
    kind: str
    label: str
    status: str
    added_by: int | None
    app_id: int | None
    installation_id: int | None
    accounts: list[str]
    repositories: list[str]
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, stored: StoredCredential) -> CredentialOut:
        return cls(
            id=stored.id,
            kind=stored.kind,
            label=stored.label,
            status=stored.status,
            added_by=stored.added_by,
            app_id=stored.app_id,
            installation_id=stored.installation_id,
            accounts=list(stored.accounts),
            repositories=list(stored.repositories),
            created_at=stored.created_at,
            revoked_at=stored.revoked_at,
        )


def _pool(runtime: RuntimeDep) -> PoolService:
    if runtime.pool is None:
        raise NotFound("this server has no rate-limit pool")
    return runtime.pool


@router.get("/teams/{team_id}/pool")
async def overview(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    hours: Annotated[float, Query(gt=0, le=6)] = 6.0,
) -> dict[str, Any]:
    """Each credential's quota and reset, usage by member, repository and purpose, savings,
    and the forecast of when the shared quota runs dry."""
    await runtime.teams.require(team_id, user_id, Permission.view)
    return await _pool(runtime).overview(team_id, hours=hours)


@router.post("/teams/{team_id}/pool/credentials", status_code=201)
async def add_credential(
    team_id: TeamId,
    body: Annotated[ServiceTokenIn | AppInstallationIn, Field(discriminator="kind")],
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> CredentialOut:
    await runtime.teams.require(team_id, user_id, Permission.manage)
    pool = _pool(runtime)
    if isinstance(body, ServiceTokenIn):
        stored = await pool.add_service_token(
            team_id,
            user_id,
            label=body.label,
            token=body.token.get_secret_value(),
            accounts=body.accounts,
            repositories=body.repositories,
        )
    else:
        stored = await pool.add_app(
            team_id,
            user_id,
            label=body.label,
            app_id=body.app_id,
            installation_id=body.installation_id,
            private_key=body.private_key.get_secret_value(),
            accounts=body.accounts,
            repositories=body.repositories,
        )
    # Into the team's audit log: who added which credential (never its secret).
    await runtime.audit.record(
        team_id,
        "pool.credential_added",
        user_id,
        stored.label,
        {"credential_id": stored.id, "kind": stored.kind, "label": stored.label},
    )
    return CredentialOut.of(stored)


@router.delete("/teams/{team_id}/pool/credentials/{credential_id}", status_code=204)
async def remove_credential(
    team_id: TeamId,
    credential_id: Annotated[int, Path(ge=1)],
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> Response:
    await runtime.teams.require(team_id, user_id, Permission.manage)
    await _pool(runtime).remove(team_id, credential_id)
    await runtime.audit.record(
        team_id,
        "pool.credential_removed",
        user_id,
        f"credential {credential_id}",
        {"credential_id": credential_id},
    )
    return Response(status_code=204)
