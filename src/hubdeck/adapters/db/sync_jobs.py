"""The shared sync queue in the database (table ``sync_jobs``)."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import sync_jobs
from hubdeck.ports import ClaimedSyncJob

S = sync_jobs


class DbSyncJobs:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def request(self, repository_id: int, priority: int, at: datetime) -> None:
        """Queue the repository, or raise its priority if it waits already. A job being synced
        is queued again (``requested_at`` moves on), so a change seen during a sync is not lost."""
        async with self._engine.begin() as conn:
            moved = await conn.execute(
                update(S)
                .where(S.c.repository_id == repository_id)
                .values(
                    priority=func.min(S.c.priority, priority)
                    if self._engine.dialect.name == "sqlite"
                    else func.least(S.c.priority, priority),
                    requested_at=at,
                )
            )
            if moved.rowcount:
                return
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        insert(S).values(
                            repository_id=repository_id, priority=priority, requested_at=at
                        )
                    )
            except IntegrityError:
                pass  # queued by another process meanwhile, or no longer stored

    async def claim(self, now: datetime, lease: timedelta) -> ClaimedSyncJob | None:
        """The most urgent job nobody holds, held for ``lease``."""
        token = f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"
        free = or_(S.c.lease_until.is_(None), S.c.lease_until <= now)
        candidate = (
            select(S.c.repository_id)
            .where(free)
            .order_by(S.c.priority, S.c.requested_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        async with self._engine.begin() as conn:
            repository_id = (await conn.execute(candidate)).scalar()
            if repository_id is None:
                return None
            taken = await conn.execute(
                update(S)
                .where(S.c.repository_id == repository_id, free)
                .values(lease_until=now + lease, claim=token)
            )
            if not taken.rowcount:
                return None
            row = (
                await conn.execute(
                    select(S.c.priority, S.c.requested_at).where(S.c.repository_id == repository_id)
                )
            ).one()
        return ClaimedSyncJob(int(repository_id), int(row.priority), row.requested_at, token)

    async def extend(self, job: ClaimedSyncJob, until: datetime) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(S)
                .where(S.c.repository_id == job.repository_id, S.c.claim == job.claim)
                .values(lease_until=until)
            )
        return bool(result.rowcount)

    async def finish(self, job: ClaimedSyncJob) -> None:
        """Done: gone, unless requested again since the claim (then it waits, unheld)."""
        async with self._engine.begin() as conn:
            gone = await conn.execute(
                delete(S).where(
                    S.c.repository_id == job.repository_id,
                    S.c.claim == job.claim,
                    S.c.requested_at == job.requested_at,
                )
            )
            if not gone.rowcount:
                await conn.execute(
                    update(S)
                    .where(S.c.repository_id == job.repository_id, S.c.claim == job.claim)
                    .values(lease_until=None, claim=None)
                )

    async def pending(self) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(S))).scalar_one())
