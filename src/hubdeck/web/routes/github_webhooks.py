"""GitHub webhooks in (``POST /webhooks/github``) and each team's signing secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hubdeck.web.deps import RuntimeDep
from hubdeck.web.routes.teams import TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(tags=["github"])


@router.post(
    "/webhooks/github",
    status_code=202,
    responses={400: {"description": "malformed"}, 401: {"description": "bad signature"}},
)
async def receive(
    request: Request,
    runtime: RuntimeDep,
    team: Annotated[int | None, Query(ge=1, description="Narrows the secret to one team.")] = None,
) -> JSONResponse:
    """Authenticated by ``X-Hub-Signature-256`` with a team's secret; answered before
    processing. A delivery seen before (same ``X-GitHub-Delivery``, or the same event through
    another hook) is acknowledged and not processed again."""
    body = await request.body()
    accepted = await runtime.github_webhooks.receive(
        event=request.headers.get("x-github-event"),
        delivery_id=request.headers.get("x-github-delivery"),
        signature=request.headers.get("x-hub-signature-256"),
        body=body,
        team_hint=team,
    )
    return JSONResponse(
        {"delivery": accepted.delivery_id, "duplicate": accepted.duplicate}, status_code=202
    )


class WebhookSecretOut(BaseModel):
    url: str
    secret: str
    content_type: str = "application/json"


@router.post("/api/teams/{team_id}/github-webhook", status_code=201, tags=["teams"])
async def rotate_secret(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> WebhookSecretOut:
    """Create or replace the team's webhook secret. It is shown this once."""
    secret = await runtime.github_webhooks.rotate_secret(team_id, user_id)
    base = str(runtime.settings.public_url).rstrip("/")
    return WebhookSecretOut(url=f"{base}/webhooks/github?team={team_id}", secret=secret)
