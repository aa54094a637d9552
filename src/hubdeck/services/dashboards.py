"""Shared dashboards: create, read, edit together, history, sharing. Every check in one place.

Edits of one dashboard are serialized (a lease per dashboard, plus compare-and-set on the
version in the database) so that each accepted batch becomes exactly the next version and is
published on ``dashboard:{id}`` in version order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.dashboards.access import Grant, effective_role, granted_to
from hubdeck.core.dashboards.catalog import catalog
from hubdeck.core.dashboards.history import changes_by_others, restore_ops, summarize
from hubdeck.core.dashboards.model import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    DashboardRole,
    Document,
    Widget,
)
from hubdeck.core.dashboards.ops import (
    AddWidget,
    Op,
    SetProperty,
    dump_ops,
    load_ops,
    parse_ops,
)
from hubdeck.core.dashboards.ordering import Batch, Outcome, order
from hubdeck.core.dashboards.sequencer import check_base
from hubdeck.core.dashboards.templates import TEMPLATES
from hubdeck.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hubdeck.core.users import Role, User
from hubdeck.ports import (
    ChannelStream,
    DashboardRecord,
    DashboardStore,
    GrantRecord,
    LinkRecord,
    Locks,
    RevisionRecord,
    TeamStore,
    UserStore,
)

log = structlog.get_logger(__name__)

# The lease that serializes edits of one dashboard across processes. Long enough for one
# batch (read, order, write, publish); a holder that dies frees it after this.
EDIT_LEASE = 10.0
LEASE_WAIT = 5.0
# Compare-and-set retries when the lease could not be had in time and a writer slipped in.
COMMIT_ATTEMPTS = 5
# "Changed since you last looked" reads at most this many revisions.
CHANGES_WINDOW = 500
MAX_REVISIONS_PAGE = 100
CLIENT_MAX = 64


def channel_of(dashboard_id: int) -> str:
    return f"dashboard:{dashboard_id}"


def user_json(user: User | None, user_id: int | None = None) -> dict[str, Any] | None:
    if user is None:
        return None if user_id is None else {"id": user_id, "login": None, "name": None}
    return {"id": user.id, "login": user.login, "name": user.name, "avatar_url": user.avatar_url}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_widget_id() -> str:
    return "w-" + secrets.token_urlsafe(8).replace("_", "x").replace("-", "y")[:10]


def _check_text(value: str, name: str, low: int, high: int) -> str:
    if not low <= len(value) <= high:
        raise InvalidInput(f"{name} has {low} to {high} characters")
    return value


def _check_client(value: str, name: str, low: int = 0) -> str:
    if not isinstance(value, str) or not low <= len(value) <= CLIENT_MAX:
        raise InvalidInput(f"{name} is a string of {low} to {CLIENT_MAX} characters")
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
    ) -> None:
        self._store = store
        self._teams = teams
        self._users = users
        self._stream = stream
        self._locks = locks
        self._clock = clock
        self._public_url = public_url.rstrip("/")
        self._local: dict[int, asyncio.Lock] = {}

    # --- catalogue ----------------------------------------------------------------------------

    @staticmethod
    def catalog() -> dict[str, Any]:
        return catalog()

    @staticmethod
    def templates() -> dict[str, Any]:
        return {"templates": [t.as_json() for t in TEMPLATES.values()]}

    # --- access -------------------------------------------------------------------------------

    async def _user_teams(self, user_id: int) -> dict[int, Role]:
        return {team.id: role for team, role in await self._teams.for_user(user_id)}

    async def role_of(self, user_id: int, record: DashboardRecord) -> DashboardRole | None:
        teams = await self._user_teams(user_id)
        grants = await self._store.grants([record.id])
        return effective_role(
            user_id=user_id,
            owner_id=record.owner_id,
            team_role=teams.get(record.team_id),
            grants=[_grant(g) for g in grants],
            user_teams=teams.keys(),
        )

    async def _require(
        self, user_id: int, dashboard_id: int, needed: DashboardRole
    ) -> tuple[DashboardRecord, DashboardRole]:
        record = await self._store.get(dashboard_id)
        role = None if record is None else await self.role_of(user_id, record)
        if record is None or role is None:
            # Whether a dashboard exists is itself not shown to those who may not see it.
            raise NotFound("no such dashboard")
        if not role.allows(needed):
            raise PermissionDenied(f"this needs the {needed.value} role (you are {role.value})")
        return record, role

    async def may_view(self, user_id: int, dashboard_id: int) -> bool:
        """Who may subscribe to ``dashboard:{id}``."""
        record = await self._store.get(dashboard_id)
        return record is not None and await self.role_of(user_id, record) is not None

    async def team_of(self, user_id: int, dashboard_id: int) -> tuple[int, Document]:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.viewer)
        return record.team_id, Document.model_validate(record.document)

    # --- list, create, read, delete -----------------------------------------------------------

    async def listing(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        teams = await self._user_teams(user_id)
        records = await self._store.visible_to(user_id, list(teams))
        grants_by: dict[int, list[Grant]] = {}
        for g in await self._store.grants([r.id for r in records]):
            grants_by.setdefault(g.dashboard_id, []).append(_grant(g))
        team_rows = {t.id: t for t, _ in await self._teams.for_user(user_id)}
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
        record, role = await self._require(user_id, dashboard_id, DashboardRole.viewer)
        document = Document.model_validate(record.document)
        owner = await self._users.get(record.owner_id)
        return {
            **_snapshot(record, document),
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
        batches = [_batch(r) for r in await self._store.revisions_after(record.id, since)]
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
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.viewer)
        if version < 1:
            raise InvalidInput("version starts at 1")
        await self._store.mark_seen(
            record.id, user_id, min(version, record.version), self._clock.now()
        )

    async def delete(self, user_id: int, dashboard_id: int) -> None:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
        await self._store.delete(record.id)
        actor = await self._users.get(user_id)
        await self._publish(record, "dashboard.deleted", actor, {"dashboard_id": record.id})

    # --- editing ------------------------------------------------------------------------------

    async def apply(
        self,
        user_id: int,
        dashboard_id: int,
        *,
        base_version: int,
        client_op_id: str,
        ops: object,
        client: str = "",
    ) -> dict[str, Any]:
        """Apply a batch of operations (docs/dashboards.md, "Operations")."""
        _check_client(client_op_id, "client_op_id", low=1)
        _check_client(client, "client")
        parsed = parse_ops(ops)
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.editor)
        await self._check_repositories(record.team_id, parsed)
        return await self._submit(
            record.id,
            user_id,
            client,
            base_version,
            client_op_id,
            lambda _current: parsed,
        )

    async def restore(
        self,
        user_id: int,
        dashboard_id: int,
        *,
        base_version: int,
        version: int,
        widget_id: str | None = None,
        client_op_id: str | None = None,
        client: str = "",
    ) -> dict[str, Any]:
        """Make the dashboard (or one widget) what it was at ``version``, as a new version."""
        _check_client(client, "client")
        if client_op_id is not None:
            _check_client(client_op_id, "client_op_id", low=1)
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.editor)
        old = await self._store.revision(record.id, version)
        if old is None:
            raise NotFound(f"no version {version}")
        old_document = Document.model_validate(old.document)
        if widget_id is not None and old_document.widget(widget_id) is None:
            raise NotFound(f"the widget {widget_id} did not exist at version {version}")
        return await self._submit(
            record.id,
            user_id,
            client,
            base_version,
            client_op_id or f"restore-{uuid.uuid4()}",
            lambda current: restore_ops(current, old_document, widget_id),
            restored_from=version,
        )

    async def focus(
        self, user_id: int, client: str, dashboard_id: int, widget_id: object
    ) -> dict[str, Any]:
        """Tell the others which widget this connection is editing (``None``: none)."""
        if widget_id is not None and (
            not isinstance(widget_id, str) or not 1 <= len(widget_id) <= CLIENT_MAX
        ):
            raise InvalidInput("widget_id is a widget id or null")
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.editor)
        actor = await self._users.get(user_id)
        await self._publish(
            record,
            "dashboard.focus",
            actor,
            {
                "dashboard_id": record.id,
                "user": user_json(actor, user_id),
                "client": client,
                "widget_id": widget_id,
            },
        )
        return {}

    async def _check_repositories(self, team_id: int, ops: Sequence[Op]) -> None:
        wanted: set[int] = set()
        for op in ops:
            if isinstance(op, AddWidget):
                wanted.update(op.widget.config.repositories)
            elif isinstance(op, SetProperty) and op.path == "config.repositories":
                wanted.update(op.value)
        for repository_id in sorted(wanted):
            if not await self._teams.is_following(team_id, repository_id):
                raise InvalidInput(f"the team does not follow repository {repository_id}")

    @contextlib.asynccontextmanager
    async def _serialized(self, dashboard_id: int) -> AsyncIterator[None]:
        local = self._local.setdefault(dashboard_id, asyncio.Lock())
        async with local:
            name = f"dashboard-edit:{dashboard_id}"
            token = await self._locks.acquire(name, EDIT_LEASE)
            deadline = time.monotonic() + LEASE_WAIT
            while token is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
                token = await self._locks.acquire(name, EDIT_LEASE)
            # Without the lease (its holder is slow or gone) compare-and-set still keeps
            # versions whole; only the order of publications could suffer.
            try:
                yield
            finally:
                if token is not None:
                    await self._locks.release(name, token)

    async def _submit(
        self,
        dashboard_id: int,
        user_id: int,
        client: str,
        base_version: int,
        client_op_id: str,
        make_ops: Callable[[Document], Sequence[Op]],
        *,
        restored_from: int | None = None,
    ) -> dict[str, Any]:
        if isinstance(base_version, bool) or not isinstance(base_version, int):
            raise InvalidInput("base_version is the version the edit was based on")
        async with self._serialized(dashboard_id):
            earlier = await self._store.find_client_op(dashboard_id, user_id, client_op_id)
            if earlier is not None:
                return await self._answer(earlier.version, earlier.ops, earlier.result)
            for _ in range(COMMIT_ATTEMPTS):
                record = await self._store.get(dashboard_id)
                if record is None:
                    raise NotFound("no such dashboard")
                check_base(base_version, record.version)
                unseen = [
                    _batch(r) for r in await self._store.revisions_after(record.id, base_version)
                ]
                current = Document.model_validate(record.document)
                ops = make_ops(current)
                outcome = order(current, ops, author_id=user_id, client=client, unseen=unseen)
                result = _result(outcome)
                if not outcome.applied:
                    return await self._answer(record.version, [], result)
                applied = dump_ops(outcome.applied)
                revision = RevisionRecord(
                    dashboard_id=record.id,
                    version=record.version + 1,
                    actor_id=user_id,
                    client=client,
                    client_op_id=client_op_id,
                    ops=applied,
                    document=outcome.document.as_json(),
                    summary=summarize(current, outcome.applied, restored_from),
                    restored_from=restored_from,
                    result=result,
                    created_at=self._clock.now(),
                )
                if await self._store.commit(revision):
                    answer = await self._answer(revision.version, applied, result)
                    actor = await self._users.get(user_id)
                    await self._publish(
                        record,
                        "dashboard.ops",
                        actor,
                        {
                            "dashboard_id": record.id,
                            "version": revision.version,
                            "ops": applied,
                            "actor": user_json(actor, user_id),
                            "client_op_id": client_op_id,
                            "client": client,
                            "overwritten": [
                                {k: v for k, v in o.items() if k != "index"}
                                for o in answer["overwritten"]
                            ],
                            "dropped": answer["dropped"],
                            "restored_from": restored_from,
                            "summary": revision.summary,
                        },
                    )
                    return answer
            raise Conflict("the dashboard is changing too fast; try again")

    async def _answer(
        self, version: int, ops: list[dict[str, Any]], result: dict[str, Any]
    ) -> dict[str, Any]:
        dropped = result.get("dropped", [])
        overwritten = result.get("overwritten", [])
        ids = {d["by"] for d in dropped if d.get("by")} | {o["user"] for o in overwritten}
        people = await self._users.get_many(sorted(ids))
        return {
            "version": version,
            "ops": ops,
            "dropped": [
                {
                    **d,
                    "by": None if d.get("by") is None else user_json(people.get(d["by"]), d["by"]),
                }
                for d in dropped
            ],
            "overwritten": [
                {**o, "user": user_json(people.get(o["user"]), o["user"])} for o in overwritten
            ],
        }

    async def _publish(
        self,
        record: DashboardRecord,
        kind: str,
        actor: User | None,
        payload: dict[str, Any],
    ) -> None:
        await publish_dashboard_event(
            self._stream, record.id, record.team_id, kind, actor.login if actor else None, payload
        )

    # --- history ------------------------------------------------------------------------------

    async def revisions(
        self, user_id: int, dashboard_id: int, *, before: int | None, limit: int
    ) -> dict[str, Any]:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.viewer)
        if not 1 <= limit <= MAX_REVISIONS_PAGE:
            raise InvalidInput(f"limit is between 1 and {MAX_REVISIONS_PAGE}")
        rows = await self._store.revisions(record.id, before=before, limit=limit)
        people = await self._users.get_many(sorted({r.actor_id for r in rows if r.actor_id}))
        items = [_revision_json(r, people) for r in rows]
        more = len(rows) == limit and rows[-1].version > 1
        return {"revisions": items, "next_before": rows[-1].version if more else None}

    async def revision(self, user_id: int, dashboard_id: int, version: int) -> dict[str, Any]:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.viewer)
        row = await self._store.revision(record.id, version)
        if row is None:
            raise NotFound(f"no version {version}")
        people = await self._users.get_many([row.actor_id] if row.actor_id else [])
        return {**_revision_json(row, people), "dashboard": row.document}

    # --- grants -------------------------------------------------------------------------------

    async def grants(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.viewer)
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
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
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
        return await self._grant_json(stored)

    async def delete_grant(
        self,
        user_id: int,
        dashboard_id: int,
        *,
        grantee_id: int | None = None,
        team_id: int | None = None,
    ) -> None:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
        if (grantee_id is None) == (team_id is None):
            raise InvalidInput("give exactly one of user_id and team_id")
        if not await self._store.delete_grant(record.id, user_id=grantee_id, team_id=team_id):
            raise NotFound("no such grant")

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
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
        now = self._clock.now()
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise InvalidInput("expires_at needs a time zone")
            if expires_at <= now:
                raise InvalidInput("expires_at is in the past")
        token = secrets.token_urlsafe(24)
        link = await self._store.create_link(record.id, hash_token(token), user_id, now, expires_at)
        return {**await self._link_json(link), "token": token, "url": self.link_url(token)}

    def link_url(self, token: str) -> str:
        return f"{self._public_url}/shared/{token}"

    async def links(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
        now = self._clock.now()
        rows = [
            r
            for r in await self._store.links(record.id)
            if r.expires_at is None or r.expires_at > now
        ]
        return {"links": [await self._link_json(r) for r in rows]}

    async def revoke_link(self, user_id: int, dashboard_id: int, link_id: int) -> None:
        record, _ = await self._require(user_id, dashboard_id, DashboardRole.owner)
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
        link = await self._store.link_by_hash(hash_token(token))
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
        return {**_snapshot(record, document), "role": DashboardRole.viewer.value}


def _snapshot(record: DashboardRecord, document: Document) -> dict[str, Any]:
    return {
        "id": record.id,
        "team_id": record.team_id,
        "title": document.title,
        "description": document.description,
        "version": record.version,
        "widgets": [w.model_dump(mode="json") for w in document.widgets],
        "updated_at": record.updated_at.isoformat(),
    }


def _grant(record: GrantRecord) -> Grant:
    return Grant(record.user_id, record.team_id, DashboardRole(record.role))


def _batch(record: RevisionRecord) -> Batch:
    return Batch(
        version=record.version,
        author_id=record.actor_id or 0,
        client=record.client,
        ops=tuple(load_ops(record.ops)),
    )


def _result(outcome: Outcome) -> dict[str, Any]:
    """What the author is told, with user ids (names are looked up when answering)."""
    return {
        "dropped": [
            {
                "index": d.index,
                "op": d.op.model_dump(mode="json"),
                "reason": d.reason,
                "by": d.by,
                "version": d.version,
            }
            for d in outcome.dropped
        ],
        "overwritten": [
            {
                "index": o.index,
                "target": o.target,
                "path": o.path,
                "user": o.user_id,
                "version": o.version,
            }
            for o in outcome.overwritten
        ],
    }


def _revision_json(row: RevisionRecord, people: dict[int, User]) -> dict[str, Any]:
    return {
        "version": row.version,
        "at": row.created_at.isoformat(),
        "actor": None
        if row.actor_id is None
        else user_json(people.get(row.actor_id), row.actor_id),
        "summary": row.summary,
        "restored_from": row.restored_from,
    }


async def publish_dashboard_event(
    stream: ChannelStream,
    dashboard_id: int,
    team_id: int,
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
) -> None:
    """A publication on ``dashboard:{id}`` in the envelope every channel uses
    (``{type, ts, data: <event>}``), so pages decode it like any other live event."""
    now_ms = int(time.time() * 1000)
    event = {
        "id": str(uuid.uuid4()),
        "type": kind,
        "occurred_at": datetime.fromtimestamp(now_ms / 1000, UTC).isoformat(),
        "team_id": team_id,
        "repository_id": None,
        "subject": channel_of(dashboard_id),
        "actor": actor,
        "data": payload,
    }
    await stream.publish(
        channel_of(dashboard_id), orjson.dumps({"type": kind, "ts": now_ms, "data": event})
    )
