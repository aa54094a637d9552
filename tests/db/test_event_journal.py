"""The event journal and the bus's at-least-once hand-out, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.journal import DbEventJournal
from hubdeck.adapters.db.tables import github_objects
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import Repository
from hubdeck.ports import StoredObject
from hubdeck.services.events import MAX_ATTEMPTS, EventBus

T0 = datetime(2026, 11, 1, tzinfo=UTC)
REPO = Repository(9001, "acme", "api", False, "main", "https://github.com/acme/api")


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


def event(n: int) -> DomainEvent:
    return DomainEvent(type="github.event", occurred_at=T0, subject=f"event {n}", data={"n": n})


class Recorder:
    def __init__(self, fail: int = 0) -> None:
        self.seen: list[str] = []
        self.fail = fail

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        if self.fail:
            self.fail -= 1
            raise RuntimeError("the consumer's database blinked")
        self.seen.extend(e.subject for e in events)


async def test_a_commit_stores_the_change_and_journals_its_events_together(
    engine: AsyncEngine,
) -> None:
    store = DbGitHubStore(engine)
    stored, _ = await store.upsert_repository(REPO, {})
    ids = await store.commit(
        stored.id,
        [StoredObject("issue", "1", {"number": 1}, T0)],
        events=[event(1), event(2)],
        now=T0,
        hold_until=T0 + timedelta(seconds=30),
        synced_at=T0,
    )
    assert len(ids) == 2
    journal = DbEventJournal(engine)
    backlog = await journal.backlog(MAX_ATTEMPTS)
    assert (backlog.pending, backlog.oldest) == (2, T0)
    assert (await store.get_repository(stored.id)).synced_at == T0  # type: ignore[union-attr]

    # Without a journal to write to, the change is not stored either: one transaction.
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE event_journal"))
    with pytest.raises(Exception):  # noqa: B017, PT011 (the driver's own "no such table")
        await store.commit(
            stored.id,
            [StoredObject("issue", "2", {"number": 2}, T0)],
            events=[event(3)],
            now=T0,
            hold_until=T0,
        )
    async with engine.connect() as conn:
        keys = (await conn.execute(select(github_objects.c.key))).scalars().all()
    assert keys == ["1"]


async def test_events_a_dead_process_left_are_handed_to_durable_consumers_only(
    engine: AsyncEngine,
) -> None:
    store = DbGitHubStore(engine)
    stored, _ = await store.upsert_repository(REPO, {})
    # The state a process leaves when it dies right after committing: entries still held.
    await store.commit(
        stored.id, [], events=[event(1), event(2)], now=T0, hold_until=T0 + timedelta(seconds=30)
    )
    clock = FixedClock(T0 + timedelta(seconds=1))
    bus = EventBus(DbEventJournal(engine), clock)
    durable, live = Recorder(), Recorder()
    bus.subscribe("live", live)
    bus.subscribe("durable", durable, durable=True)

    assert await bus.relay_once() == 0, "another process still holds them"
    clock.current = T0 + timedelta(seconds=31)
    assert await bus.relay_once() == 2
    assert durable.seen == ["event 1", "event 2"]
    assert live.seen == [], "live consumers only get news"
    assert await bus.relay_once() == 0
    assert (await DbEventJournal(engine).backlog(MAX_ATTEMPTS)).pending == 0


async def test_a_failing_durable_consumer_gets_the_events_again_later(
    engine: AsyncEngine,
) -> None:
    clock = FixedClock(T0)
    journal = DbEventJournal(engine)
    bus = EventBus(journal, clock)
    durable, live = Recorder(fail=1), Recorder()
    bus.subscribe("durable", durable, durable=True)
    bus.subscribe("live", live)

    await bus.publish([event(1)])
    assert live.seen == ["event 1"], "one failing consumer does not stop the others"
    assert durable.seen == []
    assert (await journal.backlog(MAX_ATTEMPTS)).pending == 1

    clock.current = T0 + bus.hold + timedelta(seconds=1)
    assert await bus.relay_once() == 1
    assert durable.seen == ["event 1"]
    assert (await journal.backlog(MAX_ATTEMPTS)).pending == 0

    # A consumer that never succeeds is given up on after MAX_ATTEMPTS, and counted.
    broken = Recorder(fail=10**6)
    bus.subscribe("broken", broken, durable=True)
    await bus.publish([event(2)])
    for _ in range(MAX_ATTEMPTS + 2):
        clock.current += bus.hold + timedelta(seconds=1)
        await bus.relay_once()
    backlog = await journal.backlog(MAX_ATTEMPTS)
    assert (backlog.pending, backlog.abandoned) == (1, 1)
    assert durable.seen.count("event 2") == MAX_ATTEMPTS + 1


async def test_relays_claim_disjoint_entries(engine: AsyncEngine) -> None:
    journal = DbEventJournal(engine)
    await journal.append([event(n) for n in range(10)], T0, T0)
    first = await journal.claim(T0, timedelta(seconds=30), 6, MAX_ATTEMPTS)
    second = await journal.claim(T0, timedelta(seconds=30), 6, MAX_ATTEMPTS)
    assert [e.event.subject for e in first] == [f"event {n}" for n in range(6)]
    assert [e.event.subject for e in second] == [f"event {n}" for n in range(6, 10)]
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM event_journal"))).scalar_one()
    assert count == 10
