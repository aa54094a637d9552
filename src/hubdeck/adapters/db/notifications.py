"""Notifications, their preferences, digest claims, and the events already turned into
notifications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hubdeck.adapters.db.tables import notification_preferences, notifications, notified_events
from hubdeck.core.notifications import (
    DigestFrequency,
    Notification,
    NotificationDraft,
    NotificationKind,
    Preferences,
)
from hubdeck.ports import DIGEST_SCAN_LIMIT, DigestSubscriber, NotificationFilter


def _notification(row: Any) -> Notification:
    return Notification.model_validate(
        {
            **row["data"],
            "id": row["id"],
            "read_at": row["read_at"],
            "archived_at": row["archived_at"],
            "updated_at": row["updated_at"],
            "created_at": row["created_at"],
        }
    )


def _columns(n: Notification | NotificationDraft) -> dict[str, Any]:
    return {
        "user_id": n.recipient_id,
        "kind": n.kind.value,
        "level": n.level.value,
        "team_id": n.team_id,
        "group_key": n.group_key,
        "data": n.model_dump(mode="json", exclude={"id"}),
    }


async def _insert(conn: AsyncConnection, draft: NotificationDraft, at: datetime) -> Notification:
    values = {**_columns(draft), "created_at": at, "updated_at": at}
    values["data"] = {**values["data"], "count": 1}
    new_id = (
        await conn.execute(insert(notifications).values(**values).returning(notifications.c.id))
    ).scalar_one()
    return Notification(**draft.model_dump(), id=int(new_id), created_at=at, updated_at=at)


class DbNotificationStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim_event(self, event_id: str, at: datetime) -> bool:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(insert(notified_events).values(event_id=event_id, handled_at=at))
        except IntegrityError:
            return False
        return True

    async def recent(
        self, user_id: int, group_keys: Sequence[str], since: datetime
    ) -> list[Notification]:
        if not group_keys:
            return []
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(notifications).where(
                    notifications.c.user_id == user_id,
                    notifications.c.group_key.in_(list(group_keys)),
                    notifications.c.archived_at.is_(None),
                    notifications.c.created_at >= since,
                )
            )
            return [_notification(row) for row in rows.mappings()]

    async def insert(self, draft: NotificationDraft, at: datetime) -> Notification:
        async with self._engine.begin() as conn:
            return await _insert(conn, draft, at)

    async def replace(self, notification: Notification) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(notifications)
                .where(notifications.c.id == notification.id)
                .values(
                    **_columns(notification),
                    updated_at=notification.updated_at,
                    read_at=notification.read_at,
                    archived_at=notification.archived_at,
                )
            )

    async def page(self, user_id: int, query: NotificationFilter) -> list[Notification]:
        statement = select(notifications).where(notifications.c.user_id == user_id)
        if query.archived:
            statement = statement.where(notifications.c.archived_at.is_not(None))
        else:
            statement = statement.where(notifications.c.archived_at.is_(None))
        if query.unread:
            statement = statement.where(notifications.c.read_at.is_(None))
        if query.level is not None:
            statement = statement.where(notifications.c.level == query.level)
        if query.kind is not None:
            statement = statement.where(notifications.c.kind == query.kind)
        if query.team_id is not None:
            statement = statement.where(notifications.c.team_id == query.team_id)
        if query.before is not None:
            at, before_id = query.before
            statement = statement.where(
                or_(
                    notifications.c.updated_at < at,
                    and_(notifications.c.updated_at == at, notifications.c.id < before_id),
                )
            )
        statement = statement.order_by(
            notifications.c.updated_at.desc(), notifications.c.id.desc()
        ).limit(query.limit)
        async with self._engine.connect() as conn:
            return [_notification(row) for row in (await conn.execute(statement)).mappings()]

    async def unread_count(self, user_id: int) -> int:
        async with self._engine.connect() as conn:
            count = await conn.execute(
                select(func.count()).where(
                    notifications.c.user_id == user_id,
                    notifications.c.read_at.is_(None),
                    notifications.c.archived_at.is_(None),
                )
            )
            return int(count.scalar_one())

    async def mark_read(self, user_id: int, ids: Sequence[int] | None, at: datetime) -> None:
        """Mark some (``ids``) or all of a user's notifications read."""
        statement = update(notifications).where(
            notifications.c.user_id == user_id, notifications.c.read_at.is_(None)
        )
        if ids is not None:
            statement = statement.where(notifications.c.id.in_(list(ids)))
        async with self._engine.begin() as conn:
            await conn.execute(statement.values(read_at=at))

    async def archive(self, user_id: int, ids: Sequence[int], at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(notifications)
                .where(
                    notifications.c.user_id == user_id,
                    notifications.c.id.in_(list(ids)),
                    notifications.c.archived_at.is_(None),
                )
                .values(archived_at=at)
            )

    async def preferences(self, user_ids: Sequence[int]) -> dict[int, Preferences]:
        if not user_ids:
            return {}
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(notification_preferences).where(
                    notification_preferences.c.user_id.in_(list(user_ids))
                )
            )
            return {
                int(r["user_id"]): Preferences.model_validate(r["data"]) for r in rows.mappings()
            }

    async def save_preferences(
        self, user_id: int, preferences: Preferences, digest_from: datetime | None = None
    ) -> None:
        data = preferences.model_dump(mode="json")
        values: dict[str, Any] = {"data": data, "digest": preferences.digest.frequency.value}
        if digest_from is not None:
            values["digest_period"] = digest_from
        async with self._engine.begin() as conn:
            changed = await conn.execute(
                update(notification_preferences)
                .where(notification_preferences.c.user_id == user_id)
                .values(**values)
            )
            if changed.rowcount == 0:
                await conn.execute(
                    insert(notification_preferences).values(user_id=user_id, **values)
                )

    async def digest_subscribers(self) -> list[DigestSubscriber]:
        table = notification_preferences
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(table.c.user_id, table.c.data, table.c.digest_period)
                .where(table.c.digest != DigestFrequency.off.value)
                .order_by(table.c.user_id)
            )
            return [
                DigestSubscriber(
                    int(r["user_id"]), Preferences.model_validate(r["data"]), r["digest_period"]
                )
                for r in rows.mappings()
            ]

    async def unread_between(
        self, user_id: int, since: datetime, until: datetime
    ) -> list[Notification]:
        statement = (
            select(notifications)
            .where(
                notifications.c.user_id == user_id,
                notifications.c.read_at.is_(None),
                notifications.c.archived_at.is_(None),
                notifications.c.kind != NotificationKind.digest.value,
                notifications.c.created_at > since,
                notifications.c.created_at <= until,
            )
            .order_by(notifications.c.updated_at.desc(), notifications.c.id.desc())
            .limit(DIGEST_SCAN_LIMIT)
        )
        async with self._engine.connect() as conn:
            return [_notification(row) for row in (await conn.execute(statement)).mappings()]

    async def claim_digest(
        self, user_id: int, period: datetime, draft: NotificationDraft | None, at: datetime
    ) -> Notification | None:
        table = notification_preferences
        # The claim is one conditional UPDATE: PostgreSQL makes a concurrent one wait for this
        # transaction and then re-check the condition, SQLite runs one writer at a time; either
        # way exactly one process moves the period forward. The digest is stored in the same
        # transaction, so a crash leaves neither the claim nor the row.
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                update(table)
                .where(
                    table.c.user_id == user_id,
                    table.c.digest != DigestFrequency.off.value,
                    or_(table.c.digest_period.is_(None), table.c.digest_period < period),
                )
                .values(digest_period=period)
            )
            if claimed.rowcount != 1 or draft is None:
                return None
            return await _insert(conn, draft, at)
