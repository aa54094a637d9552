"""The JSON shapes the dashboards API answers with (docs/dashboards.md)."""

from __future__ import annotations

from typing import Any

from hubdeck.core.dashboards.model import Document
from hubdeck.core.users import User
from hubdeck.ports import DashboardRecord, RevisionRecord


def channel_of(dashboard_id: int) -> str:
    return f"dashboard:{dashboard_id}"


def user_json(user: User | None, user_id: int | None = None) -> dict[str, Any] | None:
    if user is None:
        return None if user_id is None else {"id": user_id, "login": None, "name": None}
    return {"id": user.id, "login": user.login, "name": user.name, "avatar_url": user.avatar_url}


def snapshot_json(record: DashboardRecord, document: Document) -> dict[str, Any]:
    return {
        "id": record.id,
        "team_id": record.team_id,
        "title": document.title,
        "description": document.description,
        "version": record.version,
        "widgets": [w.model_dump(mode="json") for w in document.widgets],
        "updated_at": record.updated_at.isoformat(),
    }


def revision_json(row: RevisionRecord, people: dict[int, User]) -> dict[str, Any]:
    return {
        "version": row.version,
        "at": row.created_at.isoformat(),
        "actor": None
        if row.actor_id is None
        else user_json(people.get(row.actor_id), row.actor_id),
        "summary": row.summary,
        "restored_from": row.restored_from,
    }
