"""Generic incoming webhooks in the database: each team's URL and secret, the webhook-ids
already accepted, and what they post (annotations, custom metric points)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import annotations_table as annotation_rows
from hubdeck.adapters.db.tables import (
    custom_metric_points,
    incoming_webhook_ids,
    incoming_webhooks,
)
from hubdeck.core.webhooks.model import Annotation, IncomingHook, MetricPoint


def _hook(row: RowMapping) -> IncomingHook:
    return IncomingHook(
        team_id=int(row["team_id"]),
        token=row["token"],
        secret_encrypted=row["secret_encrypted"],
        created_at=row["created_at"],
    )


def _annotation(row: RowMapping) -> Annotation:
    return Annotation(
        id=int(row["id"]),
        team_id=int(row["team_id"]),
        text=row["text"],
        at=row["at"],
        tags=tuple(row["tags"] or ()),
        created_at=row["created_at"],
    )


def _point(row: RowMapping) -> MetricPoint:
    return MetricPoint(
        id=int(row["id"]),
        team_id=int(row["team_id"]),
        name=row["name"],
        value=float(row["value"]),
        at=row["at"],
        created_at=row["created_at"],
    )


class DbIncomingWebhookStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save_hook(self, hook: IncomingHook) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(incoming_webhooks).where(incoming_webhooks.c.team_id == hook.team_id)
            )
            await conn.execute(
                insert(incoming_webhooks).values(
                    team_id=hook.team_id,
                    token=hook.token,
                    secret_encrypted=hook.secret_encrypted,
                    created_at=hook.created_at,
                )
            )

    async def hook(self, team_id: int) -> IncomingHook | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(incoming_webhooks).where(incoming_webhooks.c.team_id == team_id)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _hook(row)

    async def hook_by_token(self, token: str) -> IncomingHook | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(incoming_webhooks).where(incoming_webhooks.c.token == token)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _hook(row)

    async def delete_hook(self, team_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(incoming_webhooks).where(incoming_webhooks.c.team_id == team_id)
            )
        return bool(result.rowcount)

    async def first_time(
        self, team_id: int, msg_id: str, at: datetime, forget_before: datetime
    ) -> bool:
        """Remember a webhook-id; False when it was seen already. Ids older than the signature
        tolerance are forgotten: their timestamps would be refused anyway."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    delete(incoming_webhook_ids).where(
                        incoming_webhook_ids.c.received_at < forget_before
                    )
                )
                await conn.execute(
                    insert(incoming_webhook_ids).values(
                        team_id=team_id, msg_id=msg_id, received_at=at
                    )
                )
        except IntegrityError:
            return False
        return True

    async def add_annotation(
        self, team_id: int, text: str, at: datetime, tags: Sequence[str], created_at: datetime
    ) -> Annotation:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        insert(annotation_rows)
                        .values(
                            team_id=team_id,
                            text=text,
                            at=at,
                            tags=list(tags),
                            created_at=created_at,
                        )
                        .returning(*annotation_rows.c)
                    )
                )
                .mappings()
                .one()
            )
        return _annotation(row)

    async def annotations(
        self, team_id: int, since: datetime | None, until: datetime | None, limit: int
    ) -> list[Annotation]:
        query = select(annotation_rows).where(annotation_rows.c.team_id == team_id)
        if since is not None:
            query = query.where(annotation_rows.c.at >= since)
        if until is not None:
            query = query.where(annotation_rows.c.at < until)
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                query.order_by(annotation_rows.c.at.desc(), annotation_rows.c.id.desc()).limit(
                    limit
                )
            )
            return [_annotation(r) for r in rows.mappings()]

    async def add_point(
        self, team_id: int, name: str, value: float, at: datetime, created_at: datetime
    ) -> MetricPoint:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        insert(custom_metric_points)
                        .values(
                            team_id=team_id, name=name, value=value, at=at, created_at=created_at
                        )
                        .returning(*custom_metric_points.c)
                    )
                )
                .mappings()
                .one()
            )
        return _point(row)

    async def points(
        self,
        team_id: int,
        name: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
    ) -> list[MetricPoint]:
        t = custom_metric_points.c
        query = select(custom_metric_points).where(t.team_id == team_id)
        if name is not None:
            query = query.where(t.name == name)
        if since is not None:
            query = query.where(t.at >= since)
        if until is not None:
            query = query.where(t.at < until)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query.order_by(t.at.desc(), t.id.desc()).limit(limit))
            return [_point(r) for r in rows.mappings()]
