"""Outgoing webhooks of a team: endpoints, secrets, the delivery log, redeliveries, test events.
Everything here needs the team's ``manage`` permission (owners and admins)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hubdeck.core.webhooks.catalogue import WEBHOOK_EVENT_TYPES
from hubdeck.core.webhooks.model import Attempt, Endpoint, Message, MessageStatus
from hubdeck.core.webhooks.schedule import DISABLE_AFTER, schedule_rows
from hubdeck.runtime import Runtime
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["webhooks"])

TeamId = Annotated[int, Path(ge=1)]
EndpointId = Annotated[int, Path(ge=1)]
MessageId = Annotated[int, Path(ge=1)]
EventTypeName = Annotated[str, Field(min_length=1, max_length=64)]


class EndpointIn(BaseModel):
    url: str = Field(min_length=1, max_length=2000)
    description: str = Field(default="", max_length=500)
    event_types: list[EventTypeName] = Field(default_factory=list, max_length=100)
    enabled: bool = True


class EndpointPatch(BaseModel):
    url: str | None = Field(default=None, min_length=1, max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    event_types: list[EventTypeName] | None = Field(default=None, max_length=100)
    enabled: bool | None = None


class RotateIn(BaseModel):
    # How long the current secret keeps signing beside the new one.
    overlap_hours: float = Field(default=24, ge=0, le=168)


class EndpointOut(BaseModel):
    id: int
    team_id: int
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EndpointWithSecretOut(EndpointOut):
    secret: str  # shown this once


class MessageOut(BaseModel):
    id: int
    msg_id: str
    event_id: str
    event_type: str
    status: MessageStatus
    attempts: int
    occurred_at: datetime
    created_at: datetime
    next_attempt_at: datetime | None
    last_status_code: int | None
    payload: str


class AttemptOut(BaseModel):
    id: int
    message_id: int
    msg_id: str
    event_type: str
    attempt: int
    attempted_at: datetime
    succeeded: bool
    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str | None


class MessagePage(BaseModel):
    items: list[MessageOut]
    next_before: int | None


class AttemptPage(BaseModel):
    items: list[AttemptOut]
    next_before: int | None


class EventTypeOut(BaseModel):
    type: str
    description: str


class ScheduleOut(BaseModel):
    attempts: list[float]  # seconds after the first attempt, one per attempt
    disable_after_seconds: float


class CatalogueOut(BaseModel):
    event_types: list[EventTypeOut]
    schedule: ScheduleOut


def endpoint_out(endpoint: Endpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id,
        team_id=endpoint.team_id,
        url=endpoint.url,
        description=endpoint.description,
        event_types=list(endpoint.event_types),
        enabled=endpoint.enabled,
        disabled_reason=endpoint.disabled_reason,
        disabled_at=endpoint.disabled_at,
        failing_since=endpoint.failing_since,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.id,
        msg_id=message.msg_id,
        event_id=message.event_id,
        event_type=message.event_type,
        status=message.status,
        attempts=message.attempts,
        occurred_at=message.occurred_at,
        created_at=message.created_at,
        next_attempt_at=message.next_attempt_at
        if message.status is MessageStatus.pending
        else None,
        last_status_code=message.last_status_code,
        payload=message.body,
    )


def attempt_out(attempt: Attempt) -> AttemptOut:
    return AttemptOut(
        id=attempt.id,
        message_id=attempt.message_id,
        msg_id=attempt.msg_id,
        event_type=attempt.event_type,
        attempt=attempt.attempt,
        attempted_at=attempt.attempted_at,
        succeeded=attempt.succeeded,
        status_code=attempt.status_code,
        duration_ms=attempt.duration_ms,
        response_excerpt=attempt.response_excerpt,
        error=attempt.error,
    )


@router.get("/webhooks/catalogue")
async def catalogue(_: CurrentUserId) -> CatalogueOut:
    """The event types an endpoint may receive, and the retry schedule."""
    return CatalogueOut(
        event_types=[EventTypeOut(type=t, description=d) for t, d in WEBHOOK_EVENT_TYPES.items()],
        schedule=ScheduleOut(
            attempts=[at.total_seconds() for _, at in schedule_rows()],
            disable_after_seconds=DISABLE_AFTER.total_seconds(),
        ),
    )


@router.get("/teams/{team_id}/webhooks/endpoints")
async def list_endpoints(
    team_id: TeamId, runtime: RuntimeDep, user_id: CurrentUserId
) -> list[EndpointOut]:
    return [endpoint_out(e) for e in await runtime.webhooks.list_endpoints(team_id, user_id)]


@router.post("/teams/{team_id}/webhooks/endpoints", status_code=201)
async def create_endpoint(
    team_id: TeamId, body: EndpointIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> EndpointWithSecretOut:
    created = await runtime.webhooks.create(
        team_id,
        user_id,
        url=body.url,
        description=body.description,
        event_types=body.event_types,
        enabled=body.enabled,
    )
    await _audit(runtime, team_id, user_id, "webhook_endpoint.created", created.endpoint)
    return EndpointWithSecretOut(
        **endpoint_out(created.endpoint).model_dump(), secret=created.secret
    )


@router.get("/teams/{team_id}/webhooks/endpoints/{endpoint_id}")
async def get_endpoint(
    team_id: TeamId, endpoint_id: EndpointId, runtime: RuntimeDep, user_id: CurrentUserId
) -> EndpointOut:
    return endpoint_out(await runtime.webhooks.get(team_id, user_id, endpoint_id))


@router.patch("/teams/{team_id}/webhooks/endpoints/{endpoint_id}")
async def update_endpoint(
    team_id: TeamId,
    endpoint_id: EndpointId,
    body: EndpointPatch,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> EndpointOut:
    updated = await runtime.webhooks.update(
        team_id,
        user_id,
        endpoint_id,
        url=body.url,
        description=body.description,
        event_types=body.event_types,
        enabled=body.enabled,
    )
    changed = sorted(k for k, v in body.model_dump(exclude_unset=True).items() if v is not None)
    await _audit(
        runtime, team_id, user_id, "webhook_endpoint.updated", updated, {"changed": changed}
    )
    return endpoint_out(updated)


@router.delete("/teams/{team_id}/webhooks/endpoints/{endpoint_id}", status_code=204)
async def delete_endpoint(
    team_id: TeamId, endpoint_id: EndpointId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    endpoint = await runtime.webhooks.get(team_id, user_id, endpoint_id)
    await runtime.webhooks.delete(team_id, user_id, endpoint_id)
    await _audit(runtime, team_id, user_id, "webhook_endpoint.deleted", endpoint)
    return Response(status_code=204)


@router.post("/teams/{team_id}/webhooks/endpoints/{endpoint_id}/rotate-secret")
async def rotate_secret(
    team_id: TeamId,
    endpoint_id: EndpointId,
    body: RotateIn,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> EndpointWithSecretOut:
    rotated = await runtime.webhooks.rotate_secret(
        team_id, user_id, endpoint_id, timedelta(hours=body.overlap_hours)
    )
    await _audit(
        runtime,
        team_id,
        user_id,
        "webhook_endpoint.secret_rotated",
        rotated.endpoint,
        {"overlap_hours": body.overlap_hours},
    )
    return EndpointWithSecretOut(
        **endpoint_out(rotated.endpoint).model_dump(), secret=rotated.secret
    )


@router.post("/teams/{team_id}/webhooks/endpoints/{endpoint_id}/test", status_code=202)
async def send_test(
    team_id: TeamId, endpoint_id: EndpointId, runtime: RuntimeDep, user_id: CurrentUserId
) -> MessageOut:
    return message_out(await runtime.webhooks.send_test(team_id, user_id, endpoint_id))


@router.get("/teams/{team_id}/webhooks/endpoints/{endpoint_id}/messages")
async def list_messages(
    team_id: TeamId,
    endpoint_id: EndpointId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    status: MessageStatus | None = None,
    event_type: Annotated[str | None, Query(max_length=64)] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    found = await runtime.webhooks.messages(
        team_id,
        user_id,
        endpoint_id,
        status=status,
        event_type=event_type,
        before=before,
        limit=limit,
    )
    return MessagePage(
        items=[message_out(m) for m in found],
        next_before=found[-1].id if len(found) == limit else None,
    )


@router.get("/teams/{team_id}/webhooks/endpoints/{endpoint_id}/attempts")
async def list_attempts(
    team_id: TeamId,
    endpoint_id: EndpointId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    status: Annotated[str | None, Query(pattern="^(succeeded|failed)$")] = None,
    event_type: Annotated[str | None, Query(max_length=64)] = None,
    message_id: Annotated[int | None, Query(ge=1)] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AttemptPage:
    found = await runtime.webhooks.attempts(
        team_id,
        user_id,
        endpoint_id,
        succeeded=None if status is None else status == "succeeded",
        event_type=event_type,
        message_id=message_id,
        before=before,
        limit=limit,
    )
    return AttemptPage(
        items=[attempt_out(a) for a in found],
        next_before=found[-1].id if len(found) == limit else None,
    )


@router.post(
    "/teams/{team_id}/webhooks/endpoints/{endpoint_id}/messages/{message_id}/redeliver",
    status_code=202,
)
async def redeliver(
    team_id: TeamId,
    endpoint_id: EndpointId,
    message_id: MessageId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> dict[str, str]:
    await runtime.webhooks.redeliver(team_id, user_id, endpoint_id, message_id)
    return {"status": "queued"}


async def _audit(
    runtime: Runtime,
    team_id: int,
    user_id: int,
    type_: str,
    endpoint: Endpoint,
    extra: dict[str, Any] | None = None,
) -> None:
    """Into the team's audit log: who changed which endpoint (its URL, never its secret)."""
    await runtime.audit.record(
        team_id,
        type_,
        user_id,
        endpoint.url,
        {"endpoint_id": endpoint.id, "url": endpoint.url, **(extra or {})},
    )
