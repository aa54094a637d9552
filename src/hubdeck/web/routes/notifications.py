"""Notifications of the signed-in user: list, mark read, archive, preferences."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from hubdeck.core.errors import InvalidInput
from hubdeck.core.notifications import (
    Channel,
    DigestSchedule,
    Level,
    NotificationKind,
    Preferences,
)
from hubdeck.ports import NotificationFilter
from hubdeck.services.notifications import public
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


class NotificationPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None
    unread_count: int


class UnreadOut(BaseModel):
    unread_count: int


class ReadIn(BaseModel):
    ids: list[int] | None = Field(default=None, max_length=500)
    all: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> ReadIn:
        if (self.ids is None) == (not self.all):
            raise ValueError("give either ids or all: true")
        return self


class ArchiveIn(BaseModel):
    ids: list[int] = Field(min_length=1, max_length=500)


class PreferencesIO(BaseModel):
    channels: dict[NotificationKind, Channel] = Field(default_factory=dict)
    muted_teams: list[int] = Field(default_factory=list, max_length=1000)
    # Absent: the digest schedule stays as it is (clients that predate digests keep it).
    digest: DigestSchedule | None = None


class PreferencesOut(PreferencesIO):
    digest: DigestSchedule
    defaults: dict[str, str]


def _cursor(updated_at: datetime, notification_id: int) -> str:
    return base64.urlsafe_b64encode(f"{updated_at.isoformat()}|{notification_id}".encode()).decode()


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        when, _, raw_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(when), int(raw_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("cursor: not one this API gave") from None


@router.get("")
async def list_notifications(
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    unread: bool = False,
    archived: bool = False,
    level: Level | None = None,
    kind: NotificationKind | None = None,
    team_id: Annotated[int | None, Query(ge=1)] = None,
) -> NotificationPage:
    """Newest first (by last occurrence); ``next_cursor`` continues after the last item."""
    query = NotificationFilter(
        limit=limit,
        before=None if cursor is None else _parse_cursor(cursor),
        unread=unread,
        archived=archived,
        level=None if level is None else level.value,
        kind=None if kind is None else kind.value,
        team_id=team_id,
    )
    items, unread_count = await runtime.notifications.page(user_id, query)
    last = items[-1] if len(items) == limit else None
    return NotificationPage(
        items=[public(n) for n in items],
        next_cursor=None if last is None else _cursor(last.updated_at, last.id),
        unread_count=unread_count,
    )


@router.get("/unread-count")
async def unread_count(runtime: RuntimeDep, user_id: CurrentUserId) -> UnreadOut:
    return UnreadOut(unread_count=await runtime.notifications.unread_count(user_id))


@router.post("/read")
async def mark_read(body: ReadIn, runtime: RuntimeDep, user_id: CurrentUserId) -> UnreadOut:
    """Mark some, or all, read; every device of the user hears of it at once."""
    ids = None if body.all else body.ids
    return UnreadOut(unread_count=await runtime.notifications.mark_read(user_id, ids))


@router.post("/archive")
async def archive(body: ArchiveIn, runtime: RuntimeDep, user_id: CurrentUserId) -> UnreadOut:
    return UnreadOut(unread_count=await runtime.notifications.archive(user_id, body.ids))


def _preferences_out(preferences: Preferences, defaults: dict[str, str]) -> PreferencesOut:
    return PreferencesOut(
        channels={kind: preferences.channel(kind) for kind in NotificationKind},
        muted_teams=sorted(preferences.muted_teams),
        digest=preferences.digest,
        defaults=defaults,
    )


@router.get("/preferences")
async def get_preferences(runtime: RuntimeDep, user_id: CurrentUserId) -> PreferencesOut:
    service = runtime.notifications
    return _preferences_out(await service.preferences(user_id), service.defaults())


@router.put("/preferences")
async def put_preferences(
    body: PreferencesIO, runtime: RuntimeDep, user_id: CurrentUserId
) -> PreferencesOut:
    """Per kind: ``off``, ``in_app`` or ``browser`` (in-app and a browser notification);
    teams whose notifications are muted; the digest schedule."""
    service = runtime.notifications
    digest = body.digest or (await service.preferences(user_id)).digest
    saved = await service.save_preferences(
        user_id,
        Preferences(
            channels=dict(body.channels), muted_teams=frozenset(body.muted_teams), digest=digest
        ),
    )
    return _preferences_out(saved, service.defaults())
