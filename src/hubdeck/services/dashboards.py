"""Shared dashboards: list, create, read, delete, history; editing and sharing live beside it
(``dashboard_editing``, ``dashboard_sharing``). Every check is in these services."""

from __future__ import annotations

import secrets
from typing import Any

from hubdeck.core.clock import Clock
from hubdeck.core.dashboards.access import Grant, effective_role, granted_to
from hubdeck.core.dashboards.catalog import catalog
from hubdeck.core.dashboards.history import changes_by_others
from hubdeck.core.dashboards.model import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    DashboardRole,
    Document,
    Widget,
)
from hubdeck.core.dashboards.ops import AddWidget, Op, dump_ops
from hubdeck.core.dashboards.templates import TEMPLATES
from hubdeck.core.errors import InvalidInput, NotFound, PermissionDenied
from hubdeck.core.users import Role
from hubdeck.ports import (
    ChannelStream,
    DashboardRecord,
    DashboardStore,
    Locks,
    RevisionRecord,
    TeamStore,
    UserStore,
)
from hubdeck.services.dashboard_access import DashboardAccess, grant_of
from hubdeck.services.dashboard_editing import DashboardEditor, batch_of
from hubdeck.services.dashboard_events import publish_dashboard_event
from hubdeck.services.dashboard_json import revision_json, snapshot_json, user_json
from hubdeck.services.dashboard_sharing import DashboardSharing, Publish

# "Changed since you last looked" reads at most this many revisions.
CHANGES_WINDOW = 500
MAX_REVISIONS_PAGE = 100


def new_widget_id() -> str:
    return "w-" + secrets.token_urlsafe(8).replace("_", "x").replace("-", "y")[:10]


def _check_text(value: str, name: str, low: int, high: int) -> str:
    if not low <= len(value) <= high:
        raise InvalidInput(f"{name} has {low} to {high} characters")
    return value


class DashboardService:
    def __init__(
        self,
        store: DashboardStore,
        teams: TeamStore,
        users: UserStore,
        stream: ChannelStream,
        locks: Locks,
        clock: Clock,
        *,
        public_url: str,
        publish: Publish | None = None,
    ) -> None:
        self._store = store
        self._teams = teams
        self._users = users
        self._stream = stream
        self._clock = clock
        self.access = DashboardAccess(store, teams)
        self.editor = DashboardEditor(
            store, self.access, teams, users, stream, locks, clock, publish
        )
        self.sharing = DashboardSharing(
            store, self.access, teams, users, clock, public_url=public_url, publish=publish
        )

    # --- catalogue ----------------------------------------------------------------------------

    @staticmethod
    def catalog() -> dict[str, Any]:
        return catalog()

    @staticmethod
    def templates() -> dict[str, Any]:
        return {"templates": [t.as_json() for t in TEMPLATES.values()]}

    async def may_view(self, user_id: int, dashboard_id: int) -> bool:
        """Who may subscribe to ``dashboard:{id}``."""
        return await self.access.may_view(user_id, dashboard_id)

    async def team_of(self, user_id: int, dashboard_id: int) -> tuple[int, Document]:
        record, _ = await self.access.require(user_id, dashboard_id, DashboardRole.viewer)
        return record.team_id, Document.model_validate(record.document)

    # --- list, create, read, delete -----------------------------------------------------------

    async def listing(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        memberships = await self._teams.for_user(user_id)
        teams = {team.id: role for team, role in memberships}
        team_rows = {team.id: team for team, _ in memberships}
        records = await self._store.visible_to(user_id, list(teams))
        grants_by: dict[int, list[Grant]] = {}
        for g in await self._store.grants([r.id for r in records]):
            grants_by.setdefault(g.dashboard_id, []).append(grant_of(g))
        people = await self._users.get_many(
            sorted({r.owner_id for r in records} | {r.updated_by for r in records if r.updated_by})
        )
        sections: dict[str, list[dict[str, Any]]] = {"mine": [], "shared": [], "team": []}
        for record in records:
            grants = grants_by.get(record.id, [])
            role = effective_role(
                user_id=user_id,
                owner_id=record.owner_id,
                team_role=teams.get(record.team_id),
                grants=grants,
                user_teams=teams.keys(),
            )
            if role is None:
                continue
            if record.owner_id == user_id:
                section = "mine"
            elif granted_to(user_id, grants, teams.keys()):
                section = "shared"
            else:
                section = "team"
            document = Document.model_validate(record.document)
            team = team_rows.get(record.team_id)
            sections[section].append(
                {
                    "id": record.id,
                    "team_id": record.team_id,
                    "team": None
                    if team is None
                    else {"id": team.id, "slug": team.slug, "name": team.name},
                    "title": document.title,
                    "description": document.description,
                    "version": record.version,
                    "widget_count": len(document.widgets),
                    "role": role.value,
                    "owner": user_json(people.get(record.owner_id), record.owner_id),
                    "updated_at": record.updated_at.isoformat(),
                    "updated_by": None
                    if record.updated_by is None
                    else user_json(people.get(record.updated_by), record.updated_by),
                }
            )
        return sections

    async def create(
        self,
        user_id: int,
        team_id: int,
        title: str,
        description: str = "",
        template: str | None = None,
    ) -> int:
        membership = await self._teams.membership(team_id, user_id)
        if membership is None:
            raise NotFound("no such team")
        if membership.role is Role.viewer:
            raise PermissionDenied("team viewers cannot create dashboards")
        title = _check_text(title.strip(), "a title", 1, TITLE_MAX)
        description = _check_text(description, "a description", 0, DESCRIPTION_MAX)
        widgets: list[Widget] = []
        if template is not None:
            chosen = TEMPLATES.get(template)
            if chosen is None:
                raise InvalidInput(f"unknown template {template!r} (known: {', '.join(TEMPLATES)})")
            widgets = chosen.build(new_widget_id)
        document = Document(title=title, description=description, widgets=tuple(widgets))
        ops: list[Op] = [AddWidget(op="add_widget", widget=w) for w in widgets]
        record = await self._store.create(
            team_id,
            user_id,
            RevisionRecord(
                dashboard_id=0,
                version=1,
                actor_id=user_id,
                client="",
                client_op_id=None,
                ops=dump_ops(ops),
                document=document.as_json(),
                summary="Created the dashboard"
                + (f" from the template “{TEMPLATES[template].title}”" if template else ""),
                restored_from=None,
                result={},
                created_at=self._clock.now(),
            ),
        )
        return record.id

    async def snapshot(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        record, role = await self.access.require(user_id, dashboard_id, DashboardRole.viewer)
        document = Document.model_validate(record.document)
        owner = await self._users.get(record.owner_id)
        return {
            **snapshot_json(record, document),
            "role": role.value,
            "owner": user_json(owner, record.owner_id),
            "changed_since_last_visit": await self._changes(user_id, record, document),
        }

    async def _changes(
        self, user_id: int, record: DashboardRecord, document: Document
    ) -> dict[str, Any]:
        since = await self._store.last_seen(record.id, user_id)
        empty: dict[str, Any] = {
            "since_version": since,
            "dashboard": [],
            "widgets": [],
            "removed": [],
        }
        if since is None or since >= record.version:
            return empty
        since = max(since, record.version - CHANGES_WINDOW)
        batches = [batch_of(r) for r in await self._store.revisions_after(record.id, since)]
        changes = changes_by_others(batches, user_id, document)
        people = await self._users.get_many(
            sorted(
                {u for us in changes.widgets.values() for u in us}
                | {u for us in changes.dashboard.values() for u in us}
            )
        )

        def who(ids: list[int]) -> list[dict[str, Any] | None]:
            return [user_json(people.get(i), i) for i in ids]

        return {
            **empty,
            "dashboard": [{"path": p, "by": who(ids)} for p, ids in changes.dashboard.items()],
            "widgets": [
                {"widget_id": w, "by": who(ids), "added": w in changes.added}
                for w, ids in changes.widgets.items()
            ],
            "removed": changes.removed,
        }

    async def seen(self, user_id: int, dashboard_id: int, version: int) -> None:
        record, _ = await self.access.require(user_id, dashboard_id, DashboardRole.viewer)
        if version < 1:
            raise InvalidInput("version starts at 1")
        await self._store.mark_seen(
            record.id, user_id, min(version, record.version), self._clock.now()
        )

    async def delete(self, user_id: int, dashboard_id: int) -> None:
        record, _ = await self.access.require(user_id, dashboard_id, DashboardRole.owner)
        await self._store.delete(record.id)
        actor = await self._users.get(user_id)
        await publish_dashboard_event(
            self._stream,
            record.id,
            record.team_id,
            "dashboard.deleted",
            actor.login if actor else None,
            {"dashboard_id": record.id},
        )

    # --- history ------------------------------------------------------------------------------

    async def revisions(
        self, user_id: int, dashboard_id: int, *, before: int | None, limit: int
    ) -> dict[str, Any]:
        record, _ = await self.access.require(user_id, dashboard_id, DashboardRole.viewer)
        if not 1 <= limit <= MAX_REVISIONS_PAGE:
            raise InvalidInput(f"limit is between 1 and {MAX_REVISIONS_PAGE}")
        rows = await self._store.revisions(record.id, before=before, limit=limit)
        people = await self._users.get_many(sorted({r.actor_id for r in rows if r.actor_id}))
        items = [revision_json(r, people) for r in rows]
        more = len(rows) == limit and rows[-1].version > 1
        return {"revisions": items, "next_before": rows[-1].version if more else None}

    async def revision(self, user_id: int, dashboard_id: int, version: int) -> dict[str, Any]:
        record, _ = await self.access.require(user_id, dashboard_id, DashboardRole.viewer)
        row = await self._store.revision(record.id, version)
        if row is None:
            raise NotFound(f"no version {version}")
        people = await self._users.get_many([row.actor_id] if row.actor_id else [])
        return {**revision_json(row, people), "dashboard": row.document}
