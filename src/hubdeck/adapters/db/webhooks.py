"""Outgoing webhooks in the database: endpoints, the outbox and the attempt log.

Claiming is one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)``: on PostgreSQL
concurrent dispatchers skip each other's rows instead of waiting on them; SQLite ignores the
locking clause and runs the statement alone (one writer at a time), so it is atomic there too. A
claimed message's ``next_attempt_at`` moves to the end of its lease: if its dispatcher dies, the
message is due again when the lease ends, and no one else tries it before.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hubdeck.adapters.db.tables import webhook_attempts, webhook_endpoints, webhook_messages
from hubdeck.core.webhooks.model import (
    Attempt,
    ClaimedMessage,
    EncryptedSecrets,
    Endpoint,
    Message,
    MessageStatus,
    NewMessage,
    OutboxState,
)
from hubdeck.core.webhooks.outcome import AttemptResult

E = webhook_endpoints
M = webhook_messages
A = webhook_attempts

_ENDPOINT_COLUMNS = [c for c in E.c if not c.name.endswith("_encrypted")]


def _endpoint(row: RowMapping) -> Endpoint:
    return Endpoint(
        id=int(row["id"]),
        team_id=int(row["team_id"]),
        url=row["url"],
        description=row["description"],
        event_types=tuple(row["event_types"] or ()),
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        disabled_at=row["disabled_at"],
        failing_since=row["failing_since"],
        previous_secret_expires_at=row["previous_secret_expires_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _message(row: RowMapping) -> Message:
    return Message(
        id=int(row["id"]),
        endpoint_id=int(row["endpoint_id"]),
        msg_id=row["msg_id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        body=row["body"],
        occurred_at=row["occurred_at"],
        created_at=row["created_at"],
        status=MessageStatus(row["status"]),
        attempts=int(row["attempts"]),
        next_attempt_at=row["next_attempt_at"],
        last_status_code=row["last_status_code"],
    )


def _attempt(row: RowMapping) -> Attempt:
    return Attempt(
        id=int(row["id"]),
        message_id=int(row["message_id"]),
        endpoint_id=int(row["endpoint_id"]),
        msg_id=row["msg_id"],
        event_type=row["event_type"],
        attempt=int(row["attempt"]),
        attempted_at=row["attempted_at"],
        succeeded=bool(row["succeeded"]),
        status_code=row["status_code"],
        duration_ms=int(row["duration_ms"]),
        response_excerpt=row["response_excerpt"],
        error=row["error"],
    )


class DbWebhookStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    # Endpoints

    async def create_endpoint(
        self,
        *,
        team_id: int,
        url: str,
        description: str,
        event_types: Sequence[str],
        enabled: bool,
        secret_encrypted: bytes,
        created_by: int | None,
        at: datetime,
    ) -> Endpoint:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        insert(E)
                        .values(
                            team_id=team_id,
                            url=url,
                            description=description,
                            event_types=list(event_types),
                            enabled=enabled,
                            secret_encrypted=secret_encrypted,
                            created_by=created_by,
                            created_at=at,
                            updated_at=at,
                        )
                        .returning(*_ENDPOINT_COLUMNS)
                    )
                )
                .mappings()
                .one()
            )
        return _endpoint(row)

    async def endpoint(self, endpoint_id: int) -> Endpoint | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(select(*_ENDPOINT_COLUMNS).where(E.c.id == endpoint_id)))
                .mappings()
                .first()
            )
        return None if row is None else _endpoint(row)

    async def endpoints(self, team_ids: Sequence[int]) -> list[Endpoint]:
        if not team_ids:
            return []
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_ENDPOINT_COLUMNS).where(E.c.team_id.in_(list(team_ids))).order_by(E.c.id)
            )
            return [_endpoint(r) for r in rows.mappings()]

    async def update_endpoint(
        self, endpoint_id: int, changes: dict[str, Any], at: datetime
    ) -> Endpoint | None:
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        update(E)
                        .where(E.c.id == endpoint_id)
                        .values(**changes, updated_at=at)
                        .returning(*_ENDPOINT_COLUMNS)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _endpoint(row)

    async def delete_endpoint(self, endpoint_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(E).where(E.c.id == endpoint_id))
        return bool(result.rowcount)

    async def secrets(self, endpoint_id: int) -> EncryptedSecrets | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(
                            E.c.secret_encrypted,
                            E.c.previous_secret_encrypted,
                            E.c.previous_secret_expires_at,
                        ).where(E.c.id == endpoint_id)
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return EncryptedSecrets(
            row["secret_encrypted"],
            row["previous_secret_encrypted"],
            row["previous_secret_expires_at"],
        )

    async def rotate_secret(
        self, endpoint_id: int, new: bytes, previous: bytes | None, expires: datetime, at: datetime
    ) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(E)
                .where(E.c.id == endpoint_id)
                .values(
                    secret_encrypted=new,
                    previous_secret_encrypted=previous,
                    previous_secret_expires_at=expires if previous is not None else None,
                    updated_at=at,
                )
            )

    async def disable(self, endpoint_id: int, reason: str, at: datetime) -> Endpoint | None:
        """Disable an enabled endpoint; None when it was disabled already (or is gone), so
        that only one dispatcher announces it."""
        async with self._engine.begin() as conn:
            row = (
                (
                    await conn.execute(
                        update(E)
                        .where(E.c.id == endpoint_id, E.c.enabled.is_(True))
                        .values(
                            enabled=False, disabled_reason=reason, disabled_at=at, updated_at=at
                        )
                        .returning(*_ENDPOINT_COLUMNS)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _endpoint(row)

    async def replay(self, endpoint_id: int, at: datetime) -> int:
        """Messages kept while the endpoint was disabled: due now, with a fresh schedule."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(M)
                .where(M.c.endpoint_id == endpoint_id, M.c.status == MessageStatus.pending.value)
                .values(attempts=0, next_attempt_at=at, claim=None, updated_at=at)
            )
        return int(result.rowcount or 0)

    # The outbox

    async def enqueue(self, messages: Sequence[NewMessage], at: datetime, backlog: int) -> None:
        """Insert messages, skipping those already there (the same event for the same endpoint:
        the bus may hand an event over twice). A disabled endpoint keeps at most ``backlog``
        pending messages, the newest."""
        if not messages:
            return
        rows = [
            {
                "endpoint_id": m.endpoint_id,
                "msg_id": m.msg_id,
                "event_id": m.event_id,
                "event_type": m.event_type,
                "body": m.body,
                "occurred_at": m.occurred_at,
                "created_at": at,
                "status": MessageStatus.pending.value,
                "attempts": 0,
                "next_attempt_at": at,
                "updated_at": at,
            }
            for m in messages
        ]
        async with self._engine.begin() as conn:
            builder = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            statement = builder(M).on_conflict_do_nothing()
            await conn.execute(statement, rows)
            endpoint_ids = sorted({m.endpoint_id for m in messages})
            disabled = (
                await conn.execute(
                    select(E.c.id).where(E.c.id.in_(endpoint_ids), E.c.enabled.is_(False))
                )
            ).scalars()
            for endpoint_id in list(disabled):
                await self._trim(conn, int(endpoint_id), backlog)

    async def _trim(self, conn: AsyncConnection, endpoint_id: int, backlog: int) -> None:
        keep = (
            select(M.c.id)
            .where(M.c.endpoint_id == endpoint_id, M.c.status == MessageStatus.pending.value)
            .order_by(M.c.id.desc())
            .limit(backlog)
        )
        await conn.execute(
            delete(M).where(
                M.c.endpoint_id == endpoint_id,
                M.c.status == MessageStatus.pending.value,
                M.c.id.not_in(keep.scalar_subquery()),
            )
        )

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[ClaimedMessage]:
        token = str(uuid.uuid4())
        due = (
            select(M.c.id)
            .join(E, E.c.id == M.c.endpoint_id)
            .where(
                M.c.status == MessageStatus.pending.value,
                M.c.next_attempt_at <= now,
                E.c.enabled.is_(True),
            )
            .order_by(M.c.next_attempt_at, M.c.id)
            .limit(limit)
            .with_for_update(of=M, skip_locked=True)
        )
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                update(M)
                .where(M.c.id.in_(due.scalar_subquery()))
                .values(claim=token, next_attempt_at=now + lease)
            )
            if not claimed.rowcount:
                return []
            rows = await conn.execute(
                select(
                    M,
                    E.c.team_id,
                    E.c.url,
                    E.c.secret_encrypted,
                    E.c.previous_secret_encrypted,
                    E.c.previous_secret_expires_at,
                )
                .join(E, E.c.id == M.c.endpoint_id)
                .where(M.c.claim == token)
                .order_by(M.c.id)
            )
            return [
                ClaimedMessage(
                    message=_message(r),
                    team_id=int(r["team_id"]),
                    url=r["url"],
                    secrets=EncryptedSecrets(
                        r["secret_encrypted"],
                        r["previous_secret_encrypted"],
                        r["previous_secret_expires_at"],
                    ),
                    claim=token,
                )
                for r in rows.mappings()
            ]

    async def next_due(self) -> datetime | None:
        """When the next message of an enabled endpoint is due (None: nothing is pending)."""
        async with self._engine.connect() as conn:
            due = (
                await conn.execute(
                    select(func.min(M.c.next_attempt_at))
                    .select_from(M.join(E, E.c.id == M.c.endpoint_id))
                    .where(M.c.status == MessageStatus.pending.value, E.c.enabled.is_(True))
                )
            ).scalar_one_or_none()
        if isinstance(due, str):  # SQLite hands an aggregate back as text
            due = datetime.fromisoformat(due)
        if isinstance(due, datetime) and due.tzinfo is None:
            due = due.replace(tzinfo=UTC)
        return due if isinstance(due, datetime) else None

    async def record(
        self,
        claimed: ClaimedMessage,
        result: AttemptResult,
        at: datetime,
        *,
        status: MessageStatus,
        next_attempt_at: datetime,
    ) -> datetime | None:
        """Log one attempt, move its message on, and keep the endpoint's failing streak.

        Returns when the endpoint started failing (None after a success). A message whose lease
        passed to another dispatcher meanwhile is logged but left to that dispatcher.
        """
        message = claimed.message
        succeeded = status is MessageStatus.delivered
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(A).values(
                    message_id=message.id,
                    endpoint_id=message.endpoint_id,
                    attempt=message.attempts + 1,
                    attempted_at=at,
                    succeeded=succeeded,
                    status_code=result.status_code,
                    duration_ms=result.duration_ms,
                    response_excerpt=result.excerpt,
                    error=result.error,
                )
            )
            await conn.execute(
                update(M)
                .where(M.c.id == message.id, M.c.claim == claimed.claim)
                .values(
                    status=status.value,
                    attempts=M.c.attempts + 1,
                    next_attempt_at=next_attempt_at,
                    claim=None,
                    last_status_code=result.status_code,
                    updated_at=at,
                )
            )
            if succeeded:
                await conn.execute(
                    update(E)
                    .where(E.c.id == message.endpoint_id, E.c.failing_since.is_not(None))
                    .values(failing_since=None)
                )
                return None
            await conn.execute(
                update(E)
                .where(E.c.id == message.endpoint_id, E.c.failing_since.is_(None))
                .values(failing_since=at)
            )
            since = (
                await conn.execute(select(E.c.failing_since).where(E.c.id == message.endpoint_id))
            ).scalar_one_or_none()
            return since if isinstance(since, datetime) else at

    async def redeliver(self, endpoint_id: int, message_id: int, at: datetime) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(M)
                .where(M.c.id == message_id, M.c.endpoint_id == endpoint_id)
                .values(
                    status=MessageStatus.pending.value,
                    attempts=0,
                    next_attempt_at=at,
                    claim=None,
                    updated_at=at,
                )
            )
        return bool(result.rowcount)

    # The log

    async def messages(
        self,
        endpoint_id: int,
        *,
        status: MessageStatus | None,
        event_type: str | None,
        before: int | None,
        limit: int,
    ) -> list[Message]:
        query = select(M).where(M.c.endpoint_id == endpoint_id)
        if status is not None:
            query = query.where(M.c.status == status.value)
        if event_type is not None:
            query = query.where(M.c.event_type == event_type)
        if before is not None:
            query = query.where(M.c.id < before)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query.order_by(M.c.id.desc()).limit(limit))
            return [_message(r) for r in rows.mappings()]

    async def message(self, endpoint_id: int, message_id: int) -> Message | None:
        async with self._engine.connect() as conn:
            row = (
                (
                    await conn.execute(
                        select(M).where(M.c.id == message_id, M.c.endpoint_id == endpoint_id)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else _message(row)

    async def attempts(
        self,
        endpoint_id: int,
        *,
        succeeded: bool | None,
        event_type: str | None,
        message_id: int | None,
        before: int | None,
        limit: int,
    ) -> list[Attempt]:
        query = (
            select(A, M.c.msg_id, M.c.event_type)
            .join(M, M.c.id == A.c.message_id)
            .where(A.c.endpoint_id == endpoint_id)
        )
        if succeeded is not None:
            query = query.where(A.c.succeeded.is_(succeeded))
        if event_type is not None:
            query = query.where(M.c.event_type == event_type)
        if message_id is not None:
            query = query.where(A.c.message_id == message_id)
        if before is not None:
            query = query.where(A.c.id < before)
        async with self._engine.connect() as conn:
            rows = await conn.execute(query.order_by(A.c.id.desc()).limit(limit))
            return [_attempt(r) for r in rows.mappings()]

    async def pending_count(self, endpoint_id: int) -> int:
        async with self._engine.connect() as conn:
            count = (
                await conn.execute(
                    select(func.count())
                    .select_from(M)
                    .where(
                        M.c.endpoint_id == endpoint_id, M.c.status == MessageStatus.pending.value
                    )
                )
            ).scalar_one()
        return int(count)

    async def outbox_state(self) -> OutboxState:
        pending = {True: 0, False: 0}
        oldest: datetime | None = None
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(E.c.enabled, func.count(), func.min(M.c.created_at))
                .select_from(M.join(E, E.c.id == M.c.endpoint_id))
                .where(M.c.status == MessageStatus.pending.value)
                .group_by(E.c.enabled)
            )
            for enabled, count, first in rows:
                pending[bool(enabled)] = int(count)
                if enabled:
                    oldest = _aggregate_time(first)
        return OutboxState(pending[True], pending[False], oldest)


def _aggregate_time(value: object) -> datetime | None:
    """An aggregate of a date column: SQLite hands it back as naive text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return None
