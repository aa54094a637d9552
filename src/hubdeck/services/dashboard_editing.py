"""Editing a dashboard together: operations and restores become versions, one at a time.

Edits of one dashboard are serialized (a lease per dashboard, plus compare-and-set on the
version in the database) so that each accepted batch becomes exactly the next version and is
published on ``dashboard:{id}`` in version order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from hubdeck.core.clock import Clock
from hubdeck.core.dashboards.history import restore_ops, summarize
from hubdeck.core.dashboards.model import DashboardRole, Document
from hubdeck.core.dashboards.ops import AddWidget, Op, SetProperty, dump_ops, load_ops, parse_ops
from hubdeck.core.dashboards.ordering import Batch, Outcome, order
from hubdeck.core.dashboards.sequencer import check_base
from hubdeck.core.errors import Conflict, InvalidInput, NotFound
from hubdeck.core.users import User
from hubdeck.ports import (
    ChannelStream,
    DashboardRecord,
    DashboardStore,
    Locks,
    RevisionRecord,
    TeamStore,
    UserStore,
)
from hubdeck.services.dashboard_access import DashboardAccess
from hubdeck.services.dashboard_events import publish_dashboard_event
from hubdeck.services.dashboard_json import user_json

# The lease that serializes edits of one dashboard across processes. Long enough for one
# batch (read, order, write, publish); a holder that dies frees it after this.
EDIT_LEASE = 10.0
LEASE_WAIT = 5.0
# Compare-and-set retries when the lease could not be had in time and a writer slipped in.
COMMIT_ATTEMPTS = 5
CLIENT_MAX = 64


def check_client(value: str, name: str, low: int = 0) -> str:
    if not isinstance(value, str) or not low <= len(value) <= CLIENT_MAX:
        raise InvalidInput(f"{name} is a string of {low} to {CLIENT_MAX} characters")
    return value


class DashboardEditor:
    def __init__(
        self,
        store: DashboardStore,
        access: DashboardAccess,
        teams: TeamStore,
        users: UserStore,
        stream: ChannelStream,
        locks: Locks,
        clock: Clock,
    ) -> None:
        self._store = store
        self._access = access
        self._teams = teams
        self._users = users
        self._stream = stream
        self._locks = locks
        self._clock = clock
        self._local: dict[int, asyncio.Lock] = {}

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
        check_client(client_op_id, "client_op_id", low=1)
        check_client(client, "client")
        parsed = parse_ops(ops)
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.editor)
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
        check_client(client, "client")
        if client_op_id is not None:
            check_client(client_op_id, "client_op_id", low=1)
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.editor)
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
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.editor)
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
                    batch_of(r) for r in await self._store.revisions_after(record.id, base_version)
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


def batch_of(record: RevisionRecord) -> Batch:
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
