"""SessionStore contract: the database store (SQLite, PostgreSQL) and the Redis store pass the
same cases; ``peer`` is a second process's view (a store of its own on the same state)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.sessions import DbSessionStoreWithConnections
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.redis.sessions import RedisSessionStore
from hubdeck.core.sessions import SessionRecord, hash_session_id, new_session_id
from hubdeck.ports import SessionStore

T0 = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)

Stores = tuple[Callable[[], SessionStore], list[int]]


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def store_spec(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    if request.param == "redis":
        return (
            "redis",
            request.getfixturevalue("redis_url"),
            request.getfixturevalue("redis_prefix"),
        )
    fixture = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    return (request.param, str(request.getfixturevalue(fixture)), "")


@pytest.fixture
async def stores(store_spec: tuple[str, str, str]) -> AsyncIterator[Stores]:
    kind, url, prefix = store_spec
    if kind == "redis":
        clients = [aioredis.Redis.from_url(url), aioredis.Redis.from_url(url)]
        made = iter(clients)
        try:
            yield (lambda: RedisSessionStore(next(made), prefix)), [1, 2]
        finally:
            for client in clients:
                await client.aclose()
        return
    await migrate.upgrade(url)
    engine = create_engine(url)
    users = DbUserStore(engine)
    ids = [(await users.add("alice")).id, (await users.add("bob")).id]
    shared = DbSessionStoreWithConnections(engine)  # one process: one store, one memory
    try:
        yield (lambda: shared), ids
    finally:
        await engine.dispose()


def record(user_id: int, *, at: datetime = T0, agent: str | None = "Firefox") -> SessionRecord:
    return SessionRecord(
        id_hash=hash_session_id(new_session_id()),
        user_id=user_id,
        created_at=at,
        last_seen_at=at,
        expires_at=at + timedelta(days=30),
        user_agent=agent,
        ip="192.0.2.1",
    )


async def test_a_created_session_reads_back_on_every_process(stores: Stores) -> None:
    make, (alice, _) = stores
    store, peer = make(), make()
    made = record(alice)
    await store.create(made)
    assert await peer.get(made.id_hash) == made
    assert await peer.get(hash_session_id("unknown")) is None


async def test_touch_only_moves_last_seen_forward(stores: Stores) -> None:
    make, (alice, _) = stores
    store = make()
    made = record(alice)
    await store.create(made)
    await store.touch(made.id_hash, T0 + timedelta(minutes=5))
    await store.touch(made.id_hash, T0 + timedelta(minutes=2))
    got = await store.get(made.id_hash)
    assert got is not None and got.last_seen_at == T0 + timedelta(minutes=5)
    await store.touch(hash_session_id("unknown"), T0)  # nothing to touch: no error, no record
    assert await store.get(hash_session_id("unknown")) is None


async def test_revoke_once(stores: Stores) -> None:
    make, (alice, _) = stores
    store, peer = make(), make()
    made = record(alice)
    await store.create(made)
    assert await store.revoke(made.id_hash, T0 + timedelta(hours=1)) is True
    assert await peer.revoke(made.id_hash, T0 + timedelta(hours=2)) is False
    got = await peer.get(made.id_hash)
    assert got is not None and got.revoked_at == T0 + timedelta(hours=1)
    assert await store.revoke(hash_session_id("unknown"), T0) is False


async def test_list_for_user_newest_activity_first(stores: Stores) -> None:
    make, (alice, bob) = stores
    store = make()
    older, newer = record(alice), record(alice, at=T0 + timedelta(hours=1))
    for made in (older, newer, record(bob)):
        await store.create(made)
    listed = await make().list_for_user(alice)
    assert [r.id_hash for r in listed] == [newer.id_hash, older.id_hash]
    assert await store.list_for_user(999_999) == []


async def test_revoke_user_keeps_the_one_asked(stores: Stores) -> None:
    make, (alice, bob) = stores
    store = make()
    keep, other, third, bobs = record(alice), record(alice), record(alice), record(bob)
    for made in (keep, other, third, bobs):
        await store.create(made)
    await store.revoke(third.id_hash, T0)
    revoked = await make().revoke_user(alice, T0 + timedelta(hours=1), keep=keep.id_hash)
    assert revoked == [other.id_hash]
    got = await store.get(keep.id_hash)
    assert got is not None and got.revoked_at is None
    bob_got = await store.get(bobs.id_hash)
    assert bob_got is not None and bob_got.revoked_at is None
    everything = await store.revoke_user(alice, T0 + timedelta(hours=2))
    assert everything == [keep.id_hash]


async def test_connections_are_recorded_per_session(stores: Stores) -> None:
    make, (alice, _) = stores
    store, peer = make(), make()
    made, other = record(alice), record(alice)
    await store.create(made)
    await store.create(other)
    await store.add_connection(made.id_hash, "client-1")
    await peer.add_connection(made.id_hash, "client-2")
    assert await store.connections(made.id_hash) == {"client-1", "client-2"}
    assert await peer.connections(other.id_hash) == set()
    await store.remove_connection(made.id_hash, "client-1")
    await store.remove_connection(made.id_hash, "not-there")
    assert await peer.connections(made.id_hash) == {"client-2"}
