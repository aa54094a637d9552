"""Sessions in the database (the embedded default; Redis holds them in scale-out)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import sessions
from hubdeck.core.sessions import SessionRecord


def _record(row: RowMapping) -> SessionRecord:
    return SessionRecord(
        id_hash=row["id_hash"],
        user_id=row["user_id"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        user_agent=row["user_agent"],
        ip=row["ip"],
    )


class DbSessionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(self, record: SessionRecord) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(sessions).values(
                    id_hash=record.id_hash,
                    user_id=record.user_id,
                    created_at=record.created_at,
                    last_seen_at=record.last_seen_at,
                    expires_at=record.expires_at,
                    revoked_at=record.revoked_at,
                    user_agent=record.user_agent,
                    ip=record.ip,
                )
            )

    async def get(self, id_hash: str) -> SessionRecord | None:
        async with self._engine.connect() as conn:
            result = await conn.execute(select(sessions).where(sessions.c.id_hash == id_hash))
            row = result.mappings().first()
        return None if row is None else _record(row)

    async def touch(self, id_hash: str, seen_at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(sessions)
                .where(sessions.c.id_hash == id_hash, sessions.c.last_seen_at < seen_at)
                .values(last_seen_at=seen_at)
            )

    async def revoke(self, id_hash: str, revoked_at: datetime) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(sessions)
                .where(sessions.c.id_hash == id_hash, sessions.c.revoked_at.is_(None))
                .values(revoked_at=revoked_at)
            )
        return result.rowcount > 0

    async def list_for_user(self, user_id: int) -> list[SessionRecord]:
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(sessions)
                .where(sessions.c.user_id == user_id)
                .order_by(sessions.c.last_seen_at.desc())
            )
            return [_record(row) for row in result.mappings()]
