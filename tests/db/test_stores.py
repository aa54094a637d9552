"""The database stores on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.sessions import DbSessionStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.core.sessions import SessionRecord

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def session(id_hash: str, user_id: int, **changes: object) -> SessionRecord:
    values: dict[str, object] = {
        "id_hash": id_hash,
        "user_id": user_id,
        "created_at": NOW,
        "last_seen_at": NOW,
        "expires_at": NOW + timedelta(days=30),
        "user_agent": "Mozilla/5.0",
        "ip": "203.0.113.7",
    }
    values.update(changes)
    return SessionRecord(**values)  # type: ignore[arg-type]


async def test_users_round_trip_and_logins_are_unique(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    alice = await users.add("alice", name="Alice", github_id=101)
    assert alice.id > 0
    assert await users.get(alice.id) == alice
    assert alice.created_at.tzinfo is not None
    assert await users.get(alice.id + 1000) is None
    with pytest.raises(IntegrityError):
        await users.add("alice")


async def test_sessions_round_trip_with_aware_times(engine: AsyncEngine) -> None:
    user = await DbUserStore(engine).add("bob")
    store = DbSessionStore(engine)
    await store.create(session("a" * 64, user.id))
    loaded = await store.get("a" * 64)
    assert loaded == session("a" * 64, user.id)
    assert loaded is not None and loaded.expires_at.tzinfo is not None
    assert await store.get("b" * 64) is None


async def test_touch_only_moves_forward(engine: AsyncEngine) -> None:
    user = await DbUserStore(engine).add("carol")
    store = DbSessionStore(engine)
    await store.create(session("c" * 64, user.id))
    await store.touch("c" * 64, NOW + timedelta(minutes=5))
    await store.touch("c" * 64, NOW + timedelta(minutes=1))  # a late, older write loses
    loaded = await store.get("c" * 64)
    assert loaded is not None and loaded.last_seen_at == NOW + timedelta(minutes=5)


async def test_revoke_once_and_list_per_user(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    dave, erin = await users.add("dave"), await users.add("erin")
    store = DbSessionStore(engine)
    await store.create(session("d" * 64, dave.id))
    await store.create(session("e" * 64, dave.id, last_seen_at=NOW + timedelta(hours=1)))
    await store.create(session("f" * 64, erin.id))
    assert await store.revoke("d" * 64, NOW) is True
    assert await store.revoke("d" * 64, NOW) is False
    listed = await store.list_for_user(dave.id)
    assert [s.id_hash for s in listed] == ["e" * 64, "d" * 64]
    assert listed[1].revoked_at == NOW


async def test_deleting_a_user_deletes_their_sessions(engine: AsyncEngine) -> None:
    from sqlalchemy import delete

    from hubdeck.adapters.db.tables import users as users_table

    user = await DbUserStore(engine).add("frank")
    store = DbSessionStore(engine)
    await store.create(session("9" * 64, user.id))
    async with engine.begin() as conn:
        await conn.execute(delete(users_table).where(users_table.c.id == user.id))
    assert await store.get("9" * 64) is None


async def test_users_many_at_once(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    a, b = await users.add("many-a"), await users.add("many-b")
    assert await users.get_many([a.id, b.id, 999_999]) == {a.id: a, b.id: b}
    assert await users.get_many([]) == {}
