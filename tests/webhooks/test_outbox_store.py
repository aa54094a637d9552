"""The outbox on SQLite and PostgreSQL: concurrent claims never share a message, a lease hides
a claimed message until it runs out, duplicates of an event are dropped, and a disabled
endpoint's backlog is bounded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.core.webhooks.model import MessageStatus, NewMessage
from hubdeck.core.webhooks.outcome import AttemptResult

NOW = datetime.now(UTC)


def messages(endpoint_id: int, count: int, prefix: str = "e") -> list[NewMessage]:
    return [
        NewMessage(
            endpoint_id, f"msg_{prefix}{endpoint_id}_{n}", f"{prefix}{n}", "issue.opened", "{}", NOW
        )
        for n in range(count)
    ]


async def make_store(url: str) -> tuple[DbWebhookStore, int, object]:
    await migrate.upgrade(url)
    engine = create_engine(url)
    user = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("acme", "Acme", None, user.id)
    store = DbWebhookStore(engine)
    endpoint = await store.create_endpoint(
        team_id=team.id,
        url="https://hooks.example.com/",
        description="",
        event_types=[],
        enabled=True,
        secret_encrypted=b"x",
        created_by=user.id,
        at=NOW,
    )
    return store, endpoint.id, engine


async def test_concurrent_claims_never_share_a_message(any_database: str) -> None:
    store, endpoint_id, engine = await make_store(any_database)
    await store.enqueue(messages(endpoint_id, 200), NOW, backlog=1000)
    assert await store.pending_count(endpoint_id) == 200
    lease = timedelta(seconds=30)
    batches = await asyncio.gather(*(store.claim(NOW, lease, 30) for _ in range(10)))
    claimed = [c.message.id for batch in batches for c in batch]
    assert len(claimed) == len(set(claimed)) == 200
    # Leased: nobody else gets them until the lease ends; then they are due again.
    assert await store.claim(NOW + timedelta(seconds=29), lease, 500) == []
    again = await store.claim(NOW + timedelta(seconds=31), lease, 500)
    assert len(again) == 200
    await engine.dispose()  # type: ignore[attr-defined]


async def test_a_stale_claim_does_not_overwrite_a_newer_one(any_database: str) -> None:
    store, endpoint_id, engine = await make_store(any_database)
    await store.enqueue(messages(endpoint_id, 1), NOW, backlog=10)
    [first] = await store.claim(NOW, timedelta(seconds=1), 1)
    [second] = await store.claim(NOW + timedelta(seconds=2), timedelta(seconds=30), 1)
    later = NOW + timedelta(seconds=3)
    await store.record(
        first, AttemptResult(500, 1), later, status=MessageStatus.failed, next_attempt_at=later
    )
    [message] = await store.messages(
        endpoint_id, status=None, event_type=None, before=None, limit=5
    )
    assert message.status is MessageStatus.pending  # still the second dispatcher's
    await store.record(
        second, AttemptResult(200, 1), later, status=MessageStatus.delivered, next_attempt_at=later
    )
    [message] = await store.messages(
        endpoint_id, status=None, event_type=None, before=None, limit=5
    )
    assert message.status is MessageStatus.delivered
    assert (
        len(
            await store.attempts(
                endpoint_id, succeeded=None, event_type=None, message_id=None, before=None, limit=10
            )
        )
        == 2
    )
    await engine.dispose()  # type: ignore[attr-defined]


async def test_an_event_is_queued_once_per_endpoint(any_database: str) -> None:
    store, endpoint_id, engine = await make_store(any_database)
    await store.enqueue(messages(endpoint_id, 3), NOW, backlog=10)
    # The same events again (the bus handed them over twice), with new message ids.
    again = [
        NewMessage(m.endpoint_id, m.msg_id + "x", m.event_id, m.event_type, m.body, NOW)
        for m in messages(endpoint_id, 3)
    ]
    await store.enqueue(again, NOW, backlog=10)
    assert await store.pending_count(endpoint_id) == 3
    await engine.dispose()  # type: ignore[attr-defined]


async def test_a_disabled_endpoint_keeps_its_newest_messages_up_to_the_backlog(
    any_database: str,
) -> None:
    store, endpoint_id, engine = await make_store(any_database)
    assert await store.disable(endpoint_id, "testing", NOW) is not None
    assert await store.disable(endpoint_id, "testing", NOW) is None  # announced once
    await store.enqueue(messages(endpoint_id, 8), NOW, backlog=5)
    await store.enqueue(messages(endpoint_id, 4, prefix="f"), NOW, backlog=5)
    kept = await store.messages(endpoint_id, status=None, event_type=None, before=None, limit=50)
    assert [m.event_id for m in kept] == ["f3", "f2", "f1", "f0", "e7"]
    assert await store.claim(NOW, timedelta(seconds=5), 50) == []  # disabled: not sent
    await store.update_endpoint(endpoint_id, {"enabled": True}, NOW)
    assert await store.replay(endpoint_id, NOW) == 5
    assert len(await store.claim(NOW, timedelta(seconds=5), 50)) == 5
    await engine.dispose()  # type: ignore[attr-defined]
