"""Generic incoming webhooks: the signed per-team URL, its setup, and what it posted."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hubdeck.core.errors import InvalidInput
from hubdeck.core.webhooks.incoming import MAX_BODY, METRIC_NAME
from hubdeck.core.webhooks.model import Annotation, IncomingHook, MetricPoint
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["incoming webhooks"])

TeamId = Annotated[int, Path(ge=1)]
Token = Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Limit = Annotated[int, Query(ge=1, le=1000)]


class IncomingOut(BaseModel):
    url: str
    created_at: datetime


class IncomingWithSecretOut(IncomingOut):
    secret: str  # shown this once


class AnnotationOut(BaseModel):
    id: int
    text: str
    at: datetime
    tags: list[str]
    created_at: datetime


class MetricPointOut(BaseModel):
    id: int
    name: str
    value: float
    at: datetime
    created_at: datetime


class Accepted(BaseModel):
    kind: str
    id: int


def _url(runtime: RuntimeDep, hook: IncomingHook) -> str:
    return f"{str(runtime.settings.public_url).rstrip('/')}/api/hooks/in/{hook.token}"


def annotation_out(a: Annotation) -> AnnotationOut:
    return AnnotationOut(id=a.id, text=a.text, at=a.at, tags=list(a.tags), created_at=a.created_at)


def point_out(p: MetricPoint) -> MetricPointOut:
    return MetricPointOut(id=p.id, name=p.name, value=p.value, at=p.at, created_at=p.created_at)


@router.post("/hooks/in/{token}", status_code=202)
async def receive(token: Token, request: Request, runtime: RuntimeDep) -> Accepted:
    """Signed with the team's incoming secret (Standard Webhooks); no session needed."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise InvalidInput(f"the body is larger than {MAX_BODY} bytes")
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    stored = await runtime.incoming_webhooks.receive(token, headers, body)
    kind = "annotation" if isinstance(stored, Annotation) else "metric"
    return Accepted(kind=kind, id=stored.id)


@router.get("/teams/{team_id}/webhooks/incoming")
async def get_incoming(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> IncomingOut | None:
    hook = await runtime.incoming_webhooks.get(team_id, user_id)
    return (
        None if hook is None else IncomingOut(url=_url(runtime, hook), created_at=hook.created_at)
    )


@router.post("/teams/{team_id}/webhooks/incoming", status_code=201)
async def setup_incoming(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> IncomingWithSecretOut:
    """A new URL and secret; any previous pair stops working."""
    hook, secret = await runtime.incoming_webhooks.setup(team_id, user_id)
    return IncomingWithSecretOut(url=_url(runtime, hook), created_at=hook.created_at, secret=secret)


@router.delete("/teams/{team_id}/webhooks/incoming", status_code=204)
async def delete_incoming(team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId) -> Response:
    await runtime.incoming_webhooks.remove(team_id, user_id)
    return Response(status_code=204)


@router.get("/teams/{team_id}/annotations")
async def list_annotations(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 200,
) -> list[AnnotationOut]:
    found = await runtime.incoming_webhooks.annotations(
        team_id, user_id, _aware(since), _aware(until), limit
    )
    return [annotation_out(a) for a in found]


@router.get("/teams/{team_id}/custom-metrics")
async def list_custom_metrics(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    name: Annotated[str | None, Query(pattern=METRIC_NAME)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 200,
) -> list[MetricPointOut]:
    found = await runtime.incoming_webhooks.points(
        team_id, user_id, name, _aware(since), _aware(until), limit
    )
    return [point_out(p) for p in found]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput("times need a time zone (e.g. 2026-11-26T10:00:00Z)")
    return value


class AnnotationIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    # When it happened; now when omitted. With a time zone.
    at: datetime | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20
    )


@router.post("/teams/{team_id}/annotations", status_code=201)
async def create_annotation(
    team_id: TeamId, body: AnnotationIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> AnnotationOut:
    user = await runtime.users.get(user_id)
    created = await runtime.annotations.create(
        team_id,
        user_id,
        body.text,
        body.at,
        body.tags,
        actor=user.login if user is not None else None,
    )
    return annotation_out(created)
