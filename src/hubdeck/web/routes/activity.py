"""A team's activity feed: newest first, filterable, paginated by time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hubdeck.web.deps import RuntimeDep
from hubdeck.web.routes.teams import TeamId
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["activity"])


class ActivityOut(BaseModel):
    id: str
    type: str
    occurred_at: datetime
    subject: str
    actor: str | None
    repository_id: int | None
    data: dict[str, Any]


class ActivityPage(BaseModel):
    items: list[ActivityOut]
    next_before: datetime | None


@router.get("/teams/{team_id}/activity")
async def feed(
    team_id: TeamId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before: Annotated[datetime | None, Query(description="Only items older than this.")] = None,
    type: Annotated[
        list[str], Query(description="Event types or families (pull_request, issue…).")
    ] = [],  # noqa: B006 (FastAPI copies the default)
    repository_id: Annotated[int | None, Query(ge=1)] = None,
) -> ActivityPage:
    events = await runtime.activity.feed(
        team_id, user_id, limit=limit, before=before, types=type, repository_id=repository_id
    )
    items = [
        ActivityOut(
            id=e.id,
            type=e.type,
            occurred_at=e.occurred_at,
            subject=e.subject,
            actor=e.actor,
            repository_id=e.repository_id,
            data=e.data,
        )
        for e in events
    ]
    return ActivityPage(
        items=items, next_before=items[-1].occurred_at if len(items) == limit else None
    )
