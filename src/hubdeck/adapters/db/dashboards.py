"""Dashboards, their revisions, grants, share links and visits in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hubdeck.adapters.db.tables import (
    dashboard_grants,
    dashboard_links,
    dashboard_revisions,
    dashboard_visits,
    dashboards,
)
from hubdeck.ports import DashboardRecord, GrantRecord, LinkRecord, RevisionRecord

# Reads of every dashboard request, built once (building costs about as much as running).
_GET = select(dashboards).where(dashboards.c.id == bindparam("id"))
_GRANTS = (
    select(dashboard_grants)
    .where(dashboard_grants.c.dashboard_id.in_(bindparam("ids", expanding=True)))
    .order_by(dashboard_grants.c.id)
)
_LAST_SEEN = select(dashboard_visits.c.version).where(
    dashboard_visits.c.dashboard_id == bindparam("dashboard_id"),
    dashboard_visits.c.user_id == bindparam("user_id"),
)


def _dashboard(row: RowMapping) -> DashboardRecord:
    return DashboardRecord(
        id=int(row["id"]),
        team_id=int(row["team_id"]),
        owner_id=int(row["owner_id"]),
        document=row["document"],
        version=int(row["version"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        updated_by=None if row["updated_by"] is None else int(row["updated_by"]),
    )


def _revision(row: RowMapping | dict[str, Any]) -> RevisionRecord:
    return RevisionRecord(
        dashboard_id=int(row["dashboard_id"]),
        version=int(row["version"]),
        actor_id=None if row["actor_id"] is None else int(row["actor_id"]),
        client=row["client"],
        client_op_id=row["client_op_id"],
        ops=row["ops"],
        document=row["document"],
        summary=row["summary"],
        restored_from=row["restored_from"],
        result=row["result"],
        created_at=row["created_at"],
    )


def _grant(row: RowMapping) -> GrantRecord:
    return GrantRecord(
        dashboard_id=int(row["dashboard_id"]),
        user_id=None if row["user_id"] is None else int(row["user_id"]),
        team_id=None if row["team_id"] is None else int(row["team_id"]),
        role=row["role"],
        granted_by=None if row["granted_by"] is None else int(row["granted_by"]),
        granted_at=row["granted_at"],
    )


def _link(row: RowMapping) -> LinkRecord:
    return LinkRecord(
        id=int(row["id"]),
        dashboard_id=int(row["dashboard_id"]),
        created_by=None if row["created_by"] is None else int(row["created_by"]),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )


def _revision_values(revision: RevisionRecord, dashboard_id: int) -> dict[str, Any]:
    return {
        "dashboard_id": dashboard_id,
        "version": revision.version,
        "actor_id": revision.actor_id,
        "client": revision.client,
        "client_op_id": revision.client_op_id,
        "ops": revision.ops,
        "document": revision.document,
        "summary": revision.summary,
        "restored_from": revision.restored_from,
        "result": revision.result,
        "created_at": revision.created_at,
    }


class DbDashboardStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(
        self, team_id: int, owner_id: int, revision: RevisionRecord
    ) -> DashboardRecord:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        insert(dashboards)
                        .values(
                            team_id=team_id,
                            owner_id=owner_id,
                            document=revision.document,
                            version=revision.version,
                            created_at=revision.created_at,
                            updated_at=revision.created_at,
                            updated_by=revision.actor_id,
                        )
                        .returning(*dashboards.c)
                    )
                )
                .mappings()
                .one()
            )
            await conn.execute(
                insert(dashboard_revisions).values(**_revision_values(revision, int(row["id"])))
            )
        return _dashboard(row)

    async def get(self, dashboard_id: int) -> DashboardRecord | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET, {"id": dashboard_id})).mappings().first()
        return None if row is None else _dashboard(row)

    async def delete(self, dashboard_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(dashboards).where(dashboards.c.id == dashboard_id))
        return bool(result.rowcount)

    async def commit(self, revision: RevisionRecord) -> bool:
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    update(dashboards)
                    .where(
                        dashboards.c.id == revision.dashboard_id,
                        dashboards.c.version == revision.version - 1,
                    )
                    .values(
                        document=revision.document,
                        version=revision.version,
                        updated_at=revision.created_at,
                        updated_by=revision.actor_id,
                    )
                )
                if not result.rowcount:
                    return False
                await conn.execute(
                    insert(dashboard_revisions).values(
                        **_revision_values(revision, revision.dashboard_id)
                    )
                )
        except IntegrityError:
            return False  # the same version stored by another writer in between
        return True

    async def revisions_after(self, dashboard_id: int, version: int) -> list[RevisionRecord]:
        # Documents are the bulk of a revision and nobody here needs them.
        columns = [c for c in dashboard_revisions.c if c.name != "document"]
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*columns)
                .where(
                    dashboard_revisions.c.dashboard_id == dashboard_id,
                    dashboard_revisions.c.version > version,
                )
                .order_by(dashboard_revisions.c.version)
            )
            return [_revision({**row, "document": {}}) for row in rows.mappings()]

    async def revisions(
        self, dashboard_id: int, *, before: int | None, limit: int
    ) -> list[RevisionRecord]:
        query = select(dashboard_revisions).where(
            dashboard_revisions.c.dashboard_id == dashboard_id
        )
        if before is not None:
            query = query.where(dashboard_revisions.c.version < before)
        query = query.order_by(dashboard_revisions.c.version.desc()).limit(limit)
        async with self._engine.connect() as conn:
            return [_revision(row) for row in (await conn.execute(query)).mappings()]

    async def revision(self, dashboard_id: int, version: int) -> RevisionRecord | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(dashboard_revisions).where(
                            dashboard_revisions.c.dashboard_id == dashboard_id,
                            dashboard_revisions.c.version == version,
                        )
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _revision(row)

    async def find_client_op(
        self, dashboard_id: int, actor_id: int, client_op_id: str
    ) -> RevisionRecord | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(dashboard_revisions).where(
                            dashboard_revisions.c.dashboard_id == dashboard_id,
                            dashboard_revisions.c.actor_id == actor_id,
                            dashboard_revisions.c.client_op_id == client_op_id,
                        )
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _revision(row)

    async def visible_to(self, user_id: int, team_ids: Sequence[int]) -> list[DashboardRecord]:
        granted = select(dashboard_grants.c.dashboard_id).where(
            or_(
                dashboard_grants.c.user_id == user_id,
                dashboard_grants.c.team_id.in_(list(team_ids)),
            )
        )
        query = (
            select(dashboards)
            .where(
                or_(
                    dashboards.c.owner_id == user_id,
                    dashboards.c.team_id.in_(list(team_ids)),
                    dashboards.c.id.in_(granted),
                )
            )
            .order_by(dashboards.c.updated_at.desc(), dashboards.c.id.desc())
        )
        async with self._engine.connect() as conn:
            return [_dashboard(row) for row in (await conn.execute(query)).mappings()]

    async def of_teams(self, team_ids: Sequence[int]) -> list[DashboardRecord]:
        if not team_ids:
            return []
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(dashboards).where(dashboards.c.team_id.in_(list(team_ids)))
            )
            return [_dashboard(row) for row in rows.mappings()]

    async def grants(self, dashboard_ids: Sequence[int]) -> list[GrantRecord]:
        if not dashboard_ids:
            return []
        async with self._engine.connect() as conn:
            rows = await conn.execute(_GRANTS, {"ids": list(dashboard_ids)})
            return [_grant(row) for row in rows.mappings()]

    async def put_grant(self, grant: GrantRecord) -> GrantRecord:
        values = {
            "dashboard_id": grant.dashboard_id,
            "user_id": grant.user_id,
            "team_id": grant.team_id,
            "role": grant.role,
            "granted_by": grant.granted_by,
            "granted_at": grant.granted_at,
        }
        # Update, else insert; a concurrent insert of the same grant makes the second try an
        # update.
        for _ in range(2):
            try:
                async with self._engine.begin() as conn:
                    changed = await conn.execute(
                        update(dashboard_grants)
                        .where(_grant_subject(grant.dashboard_id, grant.user_id, grant.team_id))
                        .values(role=grant.role, granted_by=grant.granted_by)
                    )
                    if not changed.rowcount:
                        await conn.execute(insert(dashboard_grants).values(**values))
                    return await self._one_grant(conn, grant)
            except IntegrityError:
                continue
        raise RuntimeError("grant could not be stored")  # pragma: no cover

    async def _one_grant(self, conn: AsyncConnection, grant: GrantRecord) -> GrantRecord:
        row = (
            (
                await conn.execute(
                    select(dashboard_grants).where(
                        _grant_subject(grant.dashboard_id, grant.user_id, grant.team_id)
                    )
                )
            )
            .mappings()
            .one()
        )
        return _grant(row)

    async def delete_grant(
        self, dashboard_id: int, *, user_id: int | None, team_id: int | None
    ) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(dashboard_grants).where(_grant_subject(dashboard_id, user_id, team_id))
            )
        return bool(result.rowcount)

    async def create_link(
        self,
        dashboard_id: int,
        token_hash: str,
        created_by: int,
        at: datetime,
        expires_at: datetime | None,
    ) -> LinkRecord:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        insert(dashboard_links)
                        .values(
                            dashboard_id=dashboard_id,
                            token_hash=token_hash,
                            created_by=created_by,
                            created_at=at,
                            expires_at=expires_at,
                        )
                        .returning(*dashboard_links.c)
                    )
                )
                .mappings()
                .one()
            )
        return _link(row)

    async def links(self, dashboard_id: int) -> list[LinkRecord]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(dashboard_links)
                .where(
                    dashboard_links.c.dashboard_id == dashboard_id,
                    dashboard_links.c.revoked_at.is_(None),
                )
                .order_by(dashboard_links.c.id.desc())
            )
            return [_link(row) for row in rows.mappings()]

    async def link_by_hash(self, token_hash: str) -> LinkRecord | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(dashboard_links).where(dashboard_links.c.token_hash == token_hash)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _link(row)

    async def revoke_link(self, dashboard_id: int, link_id: int, at: datetime) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(dashboard_links)
                .where(
                    dashboard_links.c.id == link_id,
                    dashboard_links.c.dashboard_id == dashboard_id,
                    dashboard_links.c.revoked_at.is_(None),
                )
                .values(revoked_at=at)
            )
        return bool(result.rowcount)

    async def last_seen(self, dashboard_id: int, user_id: int) -> int | None:
        async with self._engine.connect() as conn:
            value = (
                await conn.execute(_LAST_SEEN, {"dashboard_id": dashboard_id, "user_id": user_id})
            ).scalar_one_or_none()
        return None if value is None else int(value)

    async def mark_seen(self, dashboard_id: int, user_id: int, version: int, at: datetime) -> None:
        key = and_(
            dashboard_visits.c.dashboard_id == dashboard_id,
            dashboard_visits.c.user_id == user_id,
        )
        for _ in range(2):
            try:
                async with self._engine.begin() as conn:
                    exists = (
                        await conn.execute(select(dashboard_visits.c.version).where(key))
                    ).scalar_one_or_none()
                    if exists is None:
                        await conn.execute(
                            insert(dashboard_visits).values(
                                dashboard_id=dashboard_id,
                                user_id=user_id,
                                version=version,
                                seen_at=at,
                            )
                        )
                    elif int(exists) < version:
                        await conn.execute(
                            update(dashboard_visits).where(key).values(version=version, seen_at=at)
                        )
                    return
            except IntegrityError:
                continue  # inserted by a concurrent call: the second try updates


def _grant_subject(dashboard_id: int, user_id: int | None, team_id: int | None) -> Any:
    if user_id is not None:
        return and_(
            dashboard_grants.c.dashboard_id == dashboard_id, dashboard_grants.c.user_id == user_id
        )
    return and_(
        dashboard_grants.c.dashboard_id == dashboard_id, dashboard_grants.c.team_id == team_id
    )
