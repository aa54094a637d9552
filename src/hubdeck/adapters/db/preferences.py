"""User preferences in the database: one JSON object per user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import user_preferences


class DbPreferenceStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, user_id: int) -> dict[str, Any]:
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(user_preferences.c.data).where(user_preferences.c.user_id == user_id)
            )
            row = result.first()
        return dict(row[0]) if row is not None and isinstance(row[0], dict) else {}

    async def save(self, user_id: int, data: dict[str, Any], at: datetime) -> None:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(user_preferences)
                .where(user_preferences.c.user_id == user_id)
                .values(data=data, updated_at=at)
            )
            if result.rowcount == 0:
                await conn.execute(
                    insert(user_preferences).values(user_id=user_id, data=data, updated_at=at)
                )
