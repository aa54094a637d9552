"""The pool's shared credentials (secrets encrypted by the caller)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.tables import pool_credentials, team_repositories
from hubdeck.ports import StoredCredential


def _names(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _record(row: Any) -> StoredCredential:
    reach = row.reach if isinstance(row.reach, dict) else {}
    return StoredCredential(
        id=row.id,
        team_id=row.team_id,
        kind=row.kind,
        label=row.label,
        added_by=row.added_by,
        app_id=row.app_id,
        installation_id=row.installation_id,
        secret=bytes(row.secret_encrypted),
        accounts=_names(reach.get("accounts")),
        repositories=_names(reach.get("repositories")),
        status=row.status,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class DbPoolCredentialStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(
        self,
        team_id: int,
        *,
        kind: str,
        label: str,
        added_by: int | None,
        secret: bytes,
        accounts: Sequence[str],
        repositories: Sequence[str],
        app_id: int | None = None,
        installation_id: int | None = None,
        at: datetime,
    ) -> StoredCredential:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                insert(pool_credentials)
                .values(
                    team_id=team_id,
                    kind=kind,
                    label=label,
                    added_by=added_by,
                    app_id=app_id,
                    installation_id=installation_id,
                    secret_encrypted=secret,
                    reach={"accounts": list(accounts), "repositories": list(repositories)},
                    status="active",
                    created_at=at,
                )
                .returning(pool_credentials.c.id)
            )
            new_id = int(result.scalar_one())
        found = await self.get(new_id)
        assert found is not None
        return found

    async def get(self, credential_id: int) -> StoredCredential | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(pool_credentials).where(pool_credentials.c.id == credential_id)
                )
            ).first()
        return None if row is None else _record(row)

    async def for_team(self, team_id: int) -> list[StoredCredential]:
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(pool_credentials)
                    .where(pool_credentials.c.team_id == team_id)
                    .order_by(pool_credentials.c.id)
                )
            ).all()
        return [_record(row) for row in rows]

    async def revoke(self, credential_id: int, at: datetime) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(pool_credentials)
                .where(
                    pool_credentials.c.id == credential_id,
                    pool_credentials.c.status == "active",
                )
                .values(status="revoked", revoked_at=at)
            )
        return bool(result.rowcount)

    async def delete(self, team_id: int, credential_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(pool_credentials).where(
                    pool_credentials.c.id == credential_id,
                    pool_credentials.c.team_id == team_id,
                )
            )
        return bool(result.rowcount)

    async def followed_by(self, team_id: int, repository_id: int) -> int | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(team_repositories.c.followed_by).where(
                        team_repositories.c.team_id == team_id,
                        team_repositories.c.repository_id == repository_id,
                    )
                )
            ).first()
        return None if row is None or row[0] is None else int(row[0])
