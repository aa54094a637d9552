"""Sharing a dashboard: grants to people and teams, and read-only links that need no account."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from hubdeck.core.clock import Clock
from hubdeck.core.dashboards.model import DashboardRole, Document
from hubdeck.core.errors import InvalidInput, NotFound
from hubdeck.core.events import DomainEvent
from hubdeck.core.sessions import hash_secret_token
from hubdeck.ports import (
    DashboardRecord,
    DashboardStore,
    GrantRecord,
    LinkRecord,
    TeamStore,
    UserStore,
)
from hubdeck.services.dashboard_access import DashboardAccess
from hubdeck.services.dashboard_json import snapshot_json, user_json

Publish = Callable[[DomainEvent], Awaitable[None]]


class DashboardSharing:
    def __init__(
        self,
        store: DashboardStore,
        access: DashboardAccess,
        teams: TeamStore,
        users: UserStore,
        clock: Clock,
        *,
        public_url: str,
        publish: Publish | None = None,
    ) -> None:
        self._publish = publish
        self._store = store
        self._access = access
        self._teams = teams
        self._users = users
        self._clock = clock
        self._public_url = public_url.rstrip("/")

    async def grants(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.viewer)
        rows = await self._store.grants([record.id])
        return {"grants": [await self._grant_json(g) for g in rows]}

    async def put_grant(
        self,
        user_id: int,
        dashboard_id: int,
        *,
        role: DashboardRole,
        grantee_id: int | None = None,
        login: str | None = None,
        team_id: int | None = None,
    ) -> dict[str, Any]:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.owner)
        if sum(x is not None for x in (grantee_id, login, team_id)) != 1:
            raise InvalidInput("give exactly one of user_id, login and team_id")
        if login is not None:
            found = (await self._users.find_logins([login])).get(login)
            if found is None:
                raise NotFound(f"no user {login}")
            grantee_id = found.id
        if grantee_id is not None and await self._users.get(grantee_id) is None:
            raise NotFound("no such user")
        if team_id is not None and await self._teams.get(team_id) is None:
            raise NotFound("no such team")
        stored = await self._store.put_grant(
            GrantRecord(
                dashboard_id=record.id,
                user_id=grantee_id,
                team_id=team_id,
                role=role.value,
                granted_by=user_id,
                granted_at=self._clock.now(),
            )
        )
        await self._event(
            "dashboard.shared",
            record,
            user_id,
            {"role": role.value, "user_id": grantee_id, "grantee_team_id": team_id},
        )
        return await self._grant_json(stored)

    async def delete_grant(
        self,
        user_id: int,
        dashboard_id: int,
        *,
        grantee_id: int | None = None,
        team_id: int | None = None,
    ) -> None:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.owner)
        if (grantee_id is None) == (team_id is None):
            raise InvalidInput("give exactly one of user_id and team_id")
        if not await self._store.delete_grant(record.id, user_id=grantee_id, team_id=team_id):
            raise NotFound("no such grant")
        # A grant's removal may end someone's access: their sockets are re-checked (the event).
        await self._event(
            "dashboard.unshared",
            record,
            user_id,
            {"user_id": grantee_id, "grantee_team_id": team_id},
        )

    async def _event(
        self, type_: str, record: DashboardRecord, actor_id: int, data: dict[str, Any]
    ) -> None:
        if self._publish is None:
            return
        actor = await self._users.get(actor_id)
        title = record.document.get("title")
        await self._publish(
            DomainEvent(
                type=type_,
                occurred_at=self._clock.now(),
                team_id=record.team_id,
                subject=title if isinstance(title, str) else f"dashboard {record.id}",
                actor=actor.login if actor is not None else None,
                data={
                    "dashboard_id": record.id,
                    "title": title,
                    **{key: value for key, value in data.items() if value is not None},
                },
            )
        )

    async def _grant_json(self, grant: GrantRecord) -> dict[str, Any]:
        ids = [i for i in (grant.user_id, grant.granted_by) if i is not None]
        people = await self._users.get_many(ids)
        team = None if grant.team_id is None else await self._teams.get(grant.team_id)
        return {
            "subject": "user" if grant.user_id is not None else "team",
            "user": None
            if grant.user_id is None
            else user_json(people.get(grant.user_id), grant.user_id),
            "team": None if team is None else {"id": team.id, "slug": team.slug, "name": team.name},
            "role": grant.role,
            "granted_by": None
            if grant.granted_by is None
            else user_json(people.get(grant.granted_by), grant.granted_by),
            "granted_at": grant.granted_at.isoformat(),
        }

    # --- share links --------------------------------------------------------------------------

    async def create_link(
        self, user_id: int, dashboard_id: int, expires_at: datetime | None
    ) -> dict[str, Any]:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.owner)
        now = self._clock.now()
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise InvalidInput("expires_at needs a time zone")
            if expires_at <= now:
                raise InvalidInput("expires_at is in the past")
        token = secrets.token_urlsafe(24)
        link = await self._store.create_link(
            record.id, hash_secret_token(token), user_id, now, expires_at
        )
        return {**await self._link_json(link), "token": token, "url": self.link_url(token)}

    def link_url(self, token: str) -> str:
        return f"{self._public_url}/shared/{token}"

    async def links(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.owner)
        now = self._clock.now()
        rows = [
            r
            for r in await self._store.links(record.id)
            if r.expires_at is None or r.expires_at > now
        ]
        return {"links": [await self._link_json(r) for r in rows]}

    async def revoke_link(self, user_id: int, dashboard_id: int, link_id: int) -> None:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.owner)
        if not await self._store.revoke_link(record.id, link_id, self._clock.now()):
            raise NotFound("no such link")

    async def _link_json(self, link: LinkRecord) -> dict[str, Any]:
        creator = None if link.created_by is None else await self._users.get(link.created_by)
        return {
            "id": link.id,
            "created_at": link.created_at.isoformat(),
            "expires_at": None if link.expires_at is None else link.expires_at.isoformat(),
            "created_by": user_json(creator, link.created_by),
        }

    async def shared(self, token: str) -> tuple[DashboardRecord, Document]:
        """The dashboard behind a share link: unknown, revoked and expired links are all 404."""
        if not 10 <= len(token) <= 100:
            raise NotFound("no such link")
        link = await self._store.link_by_hash(hash_secret_token(token))
        now = self._clock.now()
        if (
            link is None
            or link.revoked_at is not None
            or (link.expires_at is not None and link.expires_at <= now)
        ):
            raise NotFound("no such link")
        record = await self._store.get(link.dashboard_id)
        if record is None:
            raise NotFound("no such link")
        return record, Document.model_validate(record.document)

    async def shared_snapshot(self, token: str) -> dict[str, Any]:
        record, document = await self.shared(token)
        return {**snapshot_json(record, document), "role": DashboardRole.viewer.value}
