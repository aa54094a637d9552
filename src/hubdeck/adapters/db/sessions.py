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


class DbSessionStoreWithConnections(DbSessionStore):
    """Sessions in the database; their open connections in this process's memory, which is all
    there is on the embedded default (one process; several processes need Redis)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._connections: dict[str, set[str]] = {}

    async def revoke_user(
        self, user_id: int, revoked_at: datetime, keep: str | None = None
    ) -> list[str]:
        async with self._engine.begin() as conn:
            condition = [sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None)]
            if keep is not None:
                condition.append(sessions.c.id_hash != keep)
            result = await conn.execute(select(sessions.c.id_hash).where(*condition))
            hashes = [str(row[0]) for row in result]
            if hashes:
                await conn.execute(
                    update(sessions)
                    .where(sessions.c.id_hash.in_(hashes), sessions.c.revoked_at.is_(None))
                    .values(revoked_at=revoked_at)
                )
        return hashes

    async def add_connection(self, id_hash: str, client_id: str) -> None:
        self._connections.setdefault(id_hash, set()).add(client_id)

    async def remove_connection(self, id_hash: str, client_id: str) -> None:
        clients = self._connections.get(id_hash)
        if clients is not None:
            clients.discard(client_id)
            if not clients:
                del self._connections[id_hash]

    async def connections(self, id_hash: str) -> set[str]:
        return set(self._connections.get(id_hash, ()))
