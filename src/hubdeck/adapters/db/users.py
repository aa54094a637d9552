"""Users in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import users
from hubdeck.core.users import User

_GET = select(users).where(users.c.id == bindparam("id"))  # built once: a read of most requests


def _user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        login=row["login"],
        name=row["name"],
        avatar_url=row["avatar_url"],
        github_id=row["github_id"],
        created_at=row["created_at"],
    )


class DbUserStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(
        self,
        login: str,
        *,
        name: str | None = None,
        avatar_url: str | None = None,
        github_id: int | None = None,
    ) -> User:
        now = datetime.now(UTC)
        statement = (
            insert(users)
            .values(
                login=login,
                name=name,
                avatar_url=avatar_url,
                github_id=github_id,
                created_at=now,
                updated_at=now,
            )
            .returning(*users.c)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(statement)).mappings().one()
        return _user(row)

    async def get(self, user_id: int) -> User | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET, {"id": user_id})).mappings().first()
        return None if row is None else _user(row)

    async def upsert_github(
        self, github_id: int, login: str, name: str | None, avatar_url: str | None
    ) -> User:
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            row = (
                (await conn.execute(select(users).where(users.c.github_id == github_id)))
                .mappings()
                .first()
            )
            if row is None:
                # A user added by login before their first sign-in (e.g. an invitation).
                row = (
                    (
                        await conn.execute(
                            select(users).where(users.c.login == login, users.c.github_id.is_(None))
                        )
                    )
                    .mappings()
                    .first()
                )
            if row is None:
                row = (
                    (
                        await conn.execute(
                            insert(users)
                            .values(
                                github_id=github_id,
                                login=login,
                                name=name,
                                avatar_url=avatar_url,
                                created_at=now,
                                updated_at=now,
                            )
                            .returning(*users.c)
                        )
                    )
                    .mappings()
                    .one()
                )
            else:
                row = (
                    (
                        await conn.execute(
                            update(users)
                            .where(users.c.id == row["id"])
                            .values(
                                github_id=github_id,
                                login=login,
                                name=name,
                                avatar_url=avatar_url,
                                updated_at=now,
                            )
                            .returning(*users.c)
                        )
                    )
                    .mappings()
                    .one()
                )
        return _user(row)

    async def find_logins(self, logins: Sequence[str]) -> dict[str, User]:
        if not logins:
            return {}
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(users).where(users.c.login.in_(list(logins))))
            return {row["login"]: _user(row) for row in rows.mappings()}

    async def get_many(self, user_ids: Sequence[int]) -> dict[int, User]:
        if not user_ids:
            return {}
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(users).where(users.c.id.in_(list(user_ids))))
            return {row["id"]: _user(row) for row in rows.mappings()}
