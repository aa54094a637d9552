"""Received GitHub webhook deliveries, for deduplication."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import github_deliveries


class DbDeliveryLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def first_time(
        self, delivery_id: str, identity: str, event: str, team_id: int | None, when: datetime
    ) -> bool:
        """Record a delivery; False when its id or its event was seen already.

        The unique constraints decide, so two processes receiving the same delivery at once
        still process it once.
        """
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    insert(github_deliveries).values(
                        delivery_id=delivery_id,
                        identity=identity,
                        event=event,
                        team_id=team_id,
                        received_at=when,
                    )
                )
        except IntegrityError:
            return False
        return True
