"""The event journal in the database (table ``event_journal``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hubdeck.adapters.db.tables import event_journal
from hubdeck.core.events import DomainEvent
from hubdeck.ports import JournalBacklog, JournalEntry

J = event_journal


async def append_in(
    conn: AsyncConnection, events: Sequence[DomainEvent], now: datetime, hold_until: datetime
) -> list[int]:
    """Journal ``events`` inside the caller's transaction; their row ids, in order."""
    if not events:
        return []
    rows = [
        {
            "event": event.model_dump(mode="json"),
            "created_at": now,
            "hold_until": hold_until,
            "attempts": 0,
        }
        for event in events
    ]
    result = await conn.execute(insert(J).returning(J.c.id, sort_by_parameter_order=True), rows)
    return [int(i) for i in result.scalars()]


class DbEventJournal:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def append(
        self, events: Sequence[DomainEvent], now: datetime, hold_until: datetime
    ) -> list[int]:
        if not events:
            return []
        async with self._engine.begin() as conn:
            return await append_in(conn, events, now, hold_until)

    async def done(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        async with self._engine.begin() as conn:
            for start in range(0, len(ids), 500):
                await conn.execute(delete(J).where(J.c.id.in_(list(ids[start : start + 500]))))

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, max_attempts: int
    ) -> list[JournalEntry]:
        """Entries whose holder is gone (or that failed), held again for ``lease``. On
        PostgreSQL, SKIP LOCKED lets relays in several processes claim disjoint entries."""
        due = (
            select(J.c.id)
            .where(J.c.hold_until <= now, J.c.attempts < max_attempts)
            .order_by(J.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self._engine.begin() as conn:
            ids = [int(i) for i in (await conn.execute(due)).scalars()]
            if not ids:
                return []
            await conn.execute(
                update(J)
                .where(J.c.id.in_(ids), J.c.hold_until <= now)
                .values(hold_until=now + lease, attempts=J.c.attempts + 1)
            )
            rows = await conn.execute(
                select(J.c.id, J.c.event, J.c.attempts).where(J.c.id.in_(ids)).order_by(J.c.id)
            )
            return [
                JournalEntry(int(r.id), DomainEvent.model_validate(r.event), int(r.attempts))
                for r in rows
            ]

    async def backlog(self, max_attempts: int) -> JournalBacklog:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        func.count(J.c.id),
                        func.min(J.c.created_at),
                        func.count(J.c.id).filter(J.c.attempts >= max_attempts),
                    )
                )
            ).one()
        return JournalBacklog(pending=int(row[0]), oldest=row[1], abandoned=int(row[2]))
