"""Comments in the database: one row per comment, threads by their first comment's id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import dashboard_comments
from hubdeck.core.comments.model import Comment


def _comment(row: RowMapping) -> Comment:
    return Comment(
        id=int(row["id"]),
        dashboard_id=int(row["dashboard_id"]),
        team_id=int(row["team_id"]),
        thread_id=int(row["thread_id"] or row["id"]),
        widget_id=row["widget_id"],
        author_id=int(row["author_id"]),
        body=row["body"],
        created_at=row["created_at"],
        edited_at=row["edited_at"],
        deleted_at=row["deleted_at"],
        resolved_at=row["resolved_at"],
        resolved_by=row["resolved_by"],
    )


class DbCommentStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(
        self,
        *,
        dashboard_id: int,
        team_id: int,
        thread_id: int | None,
        widget_id: str | None,
        author_id: int,
        body: str,
        at: datetime,
    ) -> Comment:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                insert(dashboard_comments)
                .values(
                    dashboard_id=dashboard_id,
                    team_id=team_id,
                    thread_id=thread_id,
                    widget_id=widget_id,
                    author_id=author_id,
                    body=body,
                    created_at=at,
                )
                .returning(dashboard_comments.c.id)
            )
            comment_id = int(result.scalar_one())
            if thread_id is None:
                await conn.execute(
                    update(dashboard_comments)
                    .where(dashboard_comments.c.id == comment_id)
                    .values(thread_id=comment_id)
                )
            row = (
                (
                    await conn.execute(
                        select(dashboard_comments).where(dashboard_comments.c.id == comment_id)
                    )
                )
                .mappings()
                .one()
            )
        return _comment(row)

    async def get(self, comment_id: int) -> Comment | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(dashboard_comments).where(dashboard_comments.c.id == comment_id)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _comment(row)

    async def for_dashboard(self, dashboard_id: int) -> list[Comment]:
        query = (
            select(dashboard_comments)
            .where(dashboard_comments.c.dashboard_id == dashboard_id)
            .order_by(dashboard_comments.c.created_at, dashboard_comments.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_comment(row) for row in rows]

    async def edit(self, comment_id: int, body: str, at: datetime) -> Comment | None:
        return await self._update(comment_id, body=body, edited_at=at)

    async def delete(self, comment_id: int, at: datetime) -> Comment | None:
        # The text goes; the row stays so that a thread keeps its replies.
        return await self._update(comment_id, body="", deleted_at=at)

    async def resolve(self, thread_id: int, at: datetime | None, by: int | None) -> Comment | None:
        return await self._update(thread_id, resolved_at=at, resolved_by=by)

    async def _update(self, comment_id: int, **values: object) -> Comment | None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(dashboard_comments)
                .where(dashboard_comments.c.id == comment_id)
                .values(**values)
            )
        return await self.get(comment_id)
