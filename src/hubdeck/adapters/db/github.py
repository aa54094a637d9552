"""Synced GitHub data in the database: repositories and their objects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hubdeck.adapters.db.journal import append_in
from hubdeck.adapters.db.tables import github_objects, repositories, team_repositories
from hubdeck.core.events import DomainEvent
from hubdeck.core.github import codec
from hubdeck.core.github.models import Repository, RepositorySnapshot
from hubdeck.ports import StoredObject, StoredRepository, SyncState

# Built once: a read of most repository requests.
_GET_REPOSITORY = select(repositories).where(repositories.c.id == bindparam("id"))


class DbGitHubStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def upsert_repository(
        self, repository: Repository, languages: dict[str, int] | None
    ) -> tuple[StoredRepository, StoredRepository | None]:
        """Store the repository; return (new row, previous row or None)."""
        async with self._engine.begin() as conn:
            return await _upsert_in(conn, repository, languages)

    async def get_repository(self, repository_id: int) -> StoredRepository | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_REPOSITORY, {"id": repository_id})).mappings().first()
        return None if row is None else _stored_repository(row)

    async def find_repository(self, github_id: int) -> StoredRepository | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(repositories).where(repositories.c.github_id == github_id)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _stored_repository(row)

    async def mark_synced(self, repository_id: int, when: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(repositories)
                .where(repositories.c.id == repository_id)
                .values(synced_at=when)
            )

    async def load_objects(
        self, repository_id: int, kind: str, keys: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        found: dict[str, dict[str, Any]] = {}
        async with self._engine.connect() as conn:
            # Chunks keep the IN list under SQLite's bound-parameter limit.
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                rows = await conn.execute(
                    select(github_objects.c.key, github_objects.c.data).where(
                        github_objects.c.repository_id == repository_id,
                        github_objects.c.kind == kind,
                        github_objects.c.key.in_(chunk),
                    )
                )
                found.update({row.key: row.data for row in rows})
        return found

    async def save_objects(self, repository_id: int, objects: Sequence[StoredObject]) -> None:
        """Insert new objects and update changed ones (the caller diffed them already)."""
        if not objects:
            return
        async with self._engine.begin() as conn:
            await _save_in(conn, repository_id, objects)

    async def commit(
        self,
        repository_id: int,
        objects: Sequence[StoredObject],
        *,
        events: Sequence[DomainEvent],
        now: datetime,
        hold_until: datetime,
        repository: tuple[Repository, dict[str, int] | None] | None = None,
        synced_at: datetime | None = None,
    ) -> list[int]:
        # One transaction: a change stored is a change announced, even if this process dies
        # before its consumers ran (the journal's relay runs them then).
        async with self._engine.begin() as conn:
            if repository is not None:
                await _upsert_in(conn, *repository)
            if objects:
                await _save_in(conn, repository_id, objects)
            if synced_at is not None:
                await conn.execute(
                    update(repositories)
                    .where(repositories.c.id == repository_id)
                    .values(synced_at=synced_at)
                )
            return await append_in(conn, events, now, hold_until)

    async def count_objects(self, repository_id: int) -> dict[str, int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(github_objects.c.kind, func.count())
                .where(github_objects.c.repository_id == repository_id)
                .group_by(github_objects.c.kind)
            )
            return {row[0]: int(row[1]) for row in rows}

    async def snapshot(self, repository_id: int) -> RepositorySnapshot | None:
        stored = await self.get_repository(repository_id)
        if stored is None:
            return None
        by_kind: dict[str, list[Any]] = {kind: [] for kind in codec.KINDS}
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(github_objects.c.kind, github_objects.c.data).where(
                    github_objects.c.repository_id == repository_id
                )
            )
            for row in rows:
                cls = codec.KINDS.get(row.kind)
                if cls is not None:
                    by_kind[row.kind].append(codec.load(cls, row.data))
        return RepositorySnapshot(
            repository=stored.repository,
            languages=dict(stored.languages),
            issues=tuple(by_kind["issue"]),
            pulls=tuple(by_kind["pull"]),
            reviews=tuple(by_kind["review"]),
            comments=tuple(by_kind["comment"]),
            runs=tuple(by_kind["run"]),
            commits=tuple(by_kind["commit"]),
            releases=tuple(by_kind["release"]),
        )

    async def sync_states(self) -> list[SyncState]:
        followed = select(team_repositories.c.repository_id).where(
            team_repositories.c.repository_id == repositories.c.id
        )
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(repositories.c.full_name, repositories.c.synced_at)
                .where(followed.exists())
                .order_by(repositories.c.full_name)
            )
            return [SyncState(row.full_name, row.synced_at) for row in rows]


def _stored_repository(row: Any) -> StoredRepository:
    return StoredRepository(
        id=int(row["id"]),
        repository=codec.load(Repository, row["data"]),
        languages=dict(row["languages"]),
        synced_at=row["synced_at"],
    )


async def _save_in(
    conn: AsyncConnection, repository_id: int, objects: Sequence[StoredObject]
) -> None:
    now = datetime.now(UTC)
    existing: dict[tuple[str, str], int] = {}
    for kind in {o.kind for o in objects}:
        keys = [o.key for o in objects if o.kind == kind]
        for start in range(0, len(keys), 500):
            rows = await conn.execute(
                select(github_objects.c.id, github_objects.c.key).where(
                    github_objects.c.repository_id == repository_id,
                    github_objects.c.kind == kind,
                    github_objects.c.key.in_(keys[start : start + 500]),
                )
            )
            existing.update({(kind, row.key): row.id for row in rows})
    inserts = [
        {
            "repository_id": repository_id,
            "kind": o.kind,
            "key": o.key,
            "data": o.data,
            "occurred_at": o.occurred_at,
            "updated_at": now,
        }
        for o in objects
        if (o.kind, o.key) not in existing
    ]
    if inserts:
        await conn.execute(insert(github_objects), inserts)
    for o in objects:
        row_id = existing.get((o.kind, o.key))
        if row_id is not None:
            await conn.execute(
                update(github_objects)
                .where(github_objects.c.id == row_id)
                .values(data=o.data, occurred_at=o.occurred_at, updated_at=now)
            )


async def _upsert_in(
    conn: AsyncConnection, repository: Repository, languages: dict[str, int] | None
) -> tuple[StoredRepository, StoredRepository | None]:
    data = codec.dump(repository)
    now = datetime.now(UTC)
    row = (
        (
            await conn.execute(
                select(repositories).where(repositories.c.github_id == repository.github_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        result = await conn.execute(
            insert(repositories)
            .values(
                github_id=repository.github_id,
                full_name=repository.full_name,
                private=repository.private,
                data=data,
                languages=languages or {},
                created_at=now,
            )
            .returning(repositories.c.id)
        )
        new_id = int(result.scalar_one())
        return StoredRepository(new_id, repository, languages or {}, None), None
    previous = _stored_repository(row)
    values: dict[str, Any] = {}
    if row["data"] != data:
        values.update(data=data, full_name=repository.full_name, private=repository.private)
    if languages is not None and row["languages"] != languages:
        values["languages"] = languages
    if values:
        await conn.execute(
            update(repositories).where(repositories.c.id == row["id"]).values(**values)
        )
    current = StoredRepository(
        previous.id,
        repository,
        languages if languages is not None else previous.languages,
        previous.synced_at,
    )
    return current, previous
