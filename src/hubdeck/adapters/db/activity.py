"""The activity log: every domain event, kept for feeds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import activity, team_repositories
from hubdeck.core.events import DomainEvent


class DbActivityLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    async def record(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        rows = [
            {
                "event_id": e.id,
                "team_id": e.team_id,
                "repository_id": e.repository_id,
                "type": e.type,
                "actor": e.actor,
                "data": {"subject": e.subject, **e.data},
                "occurred_at": e.occurred_at,
            }
            for e in events
        ]
        # Idempotent by event id: a consumer retried after a crash records nothing twice.
        statement = self._insert(activity).on_conflict_do_nothing(index_elements=["event_id"])
        async with self._engine.begin() as conn:
            await conn.execute(statement, rows)

    async def for_team(
        self,
        team_id: int,
        *,
        limit: int,
        before: datetime | None = None,
        types: Sequence[str] = (),
        repository_id: int | None = None,
    ) -> list[DomainEvent]:
        followed = select(team_repositories.c.repository_id).where(
            team_repositories.c.team_id == team_id
        )
        query = select(activity).where(
            or_(activity.c.team_id == team_id, activity.c.repository_id.in_(followed))
        )
        if before is not None:
            query = query.where(activity.c.occurred_at < before)
        if types:
            query = query.where(or_(*(activity.c.type.startswith(t) for t in types)))
        if repository_id is not None:
            query = query.where(activity.c.repository_id == repository_id)
        query = query.order_by(activity.c.occurred_at.desc(), activity.c.id.desc()).limit(limit)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        events = []
        for row in rows:
            data = dict(row["data"])
            subject = data.pop("subject", "")
            events.append(
                DomainEvent(
                    id=row["event_id"],
                    type=row["type"],
                    occurred_at=row["occurred_at"],
                    team_id=row["team_id"],
                    repository_id=row["repository_id"],
                    subject=subject,
                    actor=row["actor"],
                    data=data,
                )
            )
        return events
