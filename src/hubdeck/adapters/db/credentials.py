"""Users' GitHub OAuth tokens, stored encrypted."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import github_tokens


class DbTokenStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save(self, user_id: int, encrypted: bytes, scopes: str) -> None:
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            await conn.execute(delete(github_tokens).where(github_tokens.c.user_id == user_id))
            await conn.execute(
                insert(github_tokens).values(
                    user_id=user_id,
                    token_encrypted=encrypted,
                    scopes=scopes,
                    valid=True,
                    created_at=now,
                    updated_at=now,
                )
            )

    async def get(self, user_id: int) -> bytes | None:
        """The encrypted token if it is still valid."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(github_tokens.c.token_encrypted).where(
                        github_tokens.c.user_id == user_id, github_tokens.c.valid.is_(True)
                    )
                )
            ).first()
        return None if row is None else bytes(row[0])

    async def invalidate(self, user_id: int) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(github_tokens)
                .where(github_tokens.c.user_id == user_id)
                .values(valid=False, updated_at=datetime.now(UTC))
            )
