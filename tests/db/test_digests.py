"""Digests sent by ``DigestService`` on real stores: once per period however many processes race
for it, at the hour each person chose, never empty, never when off."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.notifications import DbNotificationStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.memory.history import MemoryChannelHistory
from hubdeck.adapters.memory.stream import MemoryChannelStream
from hubdeck.core.notifications import (
    Channel,
    DigestFrequency,
    DigestSchedule,
    Level,
    NotificationDraft,
    NotificationKind,
    Preferences,
)
from hubdeck.ports import NotificationFilter
from hubdeck.services.digests import DigestScheduler, DigestService
from hubdeck.services.notifications import NotificationService

pytestmark = pytest.mark.stack

# Thursday 26 November 2026; digests at 09:00 UTC.
MORNING = datetime(2026, 11, 26, 7, tzinfo=UTC)
NINE = datetime(2026, 11, 26, 9, tzinfo=UTC)
DAILY = DigestSchedule(frequency=DigestFrequency.daily, hour=9)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@dataclass
class Node:
    """One process's digest service, on its own engine (its own connection pool)."""

    engine: AsyncEngine
    store: DbNotificationStore
    notifications: NotificationService
    digests: DigestService
    published: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


async def node(url: str, clock: FixedClock) -> Node:
    engine = create_engine(url)
    store = DbNotificationStore(engine)
    stream = MemoryChannelStream(MemoryChannelHistory())
    notifications = NotificationService(
        store, DbTeamStore(engine), DbUserStore(engine), DbGitHubStore(engine), stream, clock
    )
    result = Node(engine, store, notifications, DigestService(store, notifications, clock))

    def record(channel: str, _offset: int, _epoch: str, data: bytes) -> None:
        result.published.append((channel, orjson.loads(data)))
        result.arrived.set()

    for user_id in range(1, 50):
        await stream.subscribe(f"user:{user_id}", record)
    return result


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MORNING)


@pytest.fixture
async def nodes(stack_database: str, clock: FixedClock) -> AsyncIterator[tuple[Node, Node]]:
    await migrate.upgrade(stack_database)
    pair = (await node(stack_database, clock), await node(stack_database, clock))
    yield pair
    for each in pair:
        await each.engine.dispose()


async def person(n: Node, login: str, schedule: DigestSchedule | None = DAILY) -> int:
    user = await DbUserStore(n.engine).add(login)
    if schedule is not None:
        await n.notifications.save_preferences(user.id, Preferences(digest=schedule))
    return user.id


async def notify(
    n: Node, user_id: int, at: datetime, title: str = "acme/api#1 merged", **changes: Any
) -> int:
    draft = NotificationDraft(
        recipient_id=user_id,
        kind=changes.pop("kind", NotificationKind.pull_merged),
        level=changes.pop("level", Level.info),
        title=title,
        link="/",
        subject="acme/api#1",
        group_key=f"{title}:{at.isoformat()}",
        group_title="merged",
        group_link="/",
        occurred_at=at,
        event_id=f"{user_id}:{title}:{at.isoformat()}",
        **changes,
    )
    return (await n.store.insert(draft, at)).id


async def digests_of(n: Node, user_id: int) -> list[str]:
    rows = await n.store.page(
        user_id, NotificationFilter(limit=100, kind=NotificationKind.digest.value)
    )
    return [row.title for row in rows]


async def test_two_processes_racing_send_each_period_once(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, b = nodes
    people = [await person(a, f"user{n}") for n in range(6)]
    for user_id in people:
        await notify(a, user_id, MORNING + timedelta(minutes=30))

    at = NINE + timedelta(seconds=20)
    clock.current = at
    sent = await asyncio.gather(*(s.digests.run_due(at) for s in (a, b, a, b)))
    assert sum(sent) == len(people)
    for user_id in people:
        assert await digests_of(a, user_id) == ["Daily digest: 1 unread notification"]
    # Later minutes of the same period send nothing more.
    assert await a.digests.run_due(at + timedelta(minutes=1)) == 0
    assert await b.digests.run_due(at + timedelta(hours=20)) == 0

    # The next day is a new period, about what arrived since the last.
    for user_id in people:
        await notify(a, user_id, NINE + timedelta(hours=3), title="acme/api#2 merged")
    tomorrow = NINE + timedelta(days=1)
    sent = await asyncio.gather(a.digests.run_due(tomorrow), b.digests.run_due(tomorrow))
    assert sum(sent) == len(people)
    for user_id in people:
        titles = await digests_of(a, user_id)
        assert titles == ["Daily digest: 1 unread notification"] * 2


async def test_a_digest_is_pushed_live_like_any_notification(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, _ = nodes
    bob = await person(a, "bob")
    await notify(
        a,
        bob,
        MORNING,
        title="CI failed",
        kind=NotificationKind.workflow_failed,
        level=Level.error,
        repository_id=7,
    )
    await notify(
        a, bob, MORNING, title="Review #3", kind=NotificationKind.review_requested, repository_id=7
    )
    assert await a.digests.run_due(NINE) == 1

    ((channel, payload),) = [p for p in a.published if p[1]["type"] == "notification.created"]
    assert channel == f"user:{bob}"
    data = payload["data"]
    assert data["browser"] is True
    assert data["unread_count"] == 3  # the two it sums up, and itself
    digest = data["notification"]
    assert digest["kind"] == "digest"
    assert digest["level"] == "info"
    assert digest["title"] == "Daily digest: 2 unread notifications"
    assert digest["body"].splitlines() == [
        "1 error, 1 info",
        "By kind: review requested 1, workflow failed 1",
        "By repository: acme/api 2",
        "• CI failed",
        "• Review #3",
    ]
    assert digest["link"] == "/notifications?unread=1"

    # In-app only: no browser notification.
    carol = await person(a, "carol")
    await a.notifications.save_preferences(
        carol, Preferences(channels={NotificationKind.digest: Channel.in_app}, digest=DAILY)
    )
    await notify(a, carol, MORNING)
    assert await a.digests.run_due(NINE) == 1
    pushed = [p for c, p in a.published if c == f"user:{carol}" and p["type"].startswith("notif")]
    assert pushed[-1]["data"]["browser"] is False


async def test_nothing_unread_sends_nothing(nodes: tuple[Node, Node], clock: FixedClock) -> None:
    a, _ = nodes
    bob = await person(a, "bob")
    read = await notify(a, bob, MORNING)
    await a.store.mark_read(bob, [read], MORNING)
    archived = await notify(a, bob, MORNING, title="archived")
    await a.store.archive(bob, [archived], MORNING)
    assert await a.digests.run_due(NINE) == 0
    assert await digests_of(a, bob) == []

    # The empty period is done: what arrives after it waits for the next one.
    await notify(a, bob, NINE + timedelta(minutes=5), title="late")
    assert await a.digests.run_due(NINE + timedelta(minutes=10)) == 0
    assert await a.digests.run_due(NINE + timedelta(days=1)) == 1


async def test_digests_that_are_off_are_not_sent(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, _ = nodes
    never = await person(a, "never", schedule=None)
    off = await person(a, "off", schedule=DigestSchedule())
    for user_id in (never, off):
        await notify(a, user_id, MORNING)
    assert await a.digests.run_due(NINE) == 0
    # Turned off after being on: nothing either.
    was_on = await person(a, "was_on")
    await notify(a, was_on, MORNING)
    await a.notifications.save_preferences(was_on, Preferences(digest=DigestSchedule()))
    assert await a.digests.run_due(NINE + timedelta(days=2)) == 0
    for user_id in (never, off, was_on):
        assert await digests_of(a, user_id) == []


async def test_the_hour_and_the_time_zone_are_respected(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, _ = nodes
    utc = await person(a, "utc")
    # 09:00 in New York is 14:00 UTC in November.
    ny = await person(
        a,
        "ny",
        DigestSchedule(frequency=DigestFrequency.daily, hour=9, time_zone="America/New_York"),
    )
    for user_id in (utc, ny):
        await notify(a, user_id, MORNING)
    assert await a.digests.run_due(NINE - timedelta(seconds=1)) == 0
    assert await a.digests.run_due(NINE) == 1
    assert await digests_of(a, utc) != []
    assert await a.digests.run_due(NINE + timedelta(hours=4, minutes=59)) == 0
    assert await a.digests.run_due(NINE + timedelta(hours=5)) == 1
    assert await digests_of(a, ny) != []


async def test_a_new_schedule_starts_at_its_next_hour(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, _ = nodes
    clock.current = NINE + timedelta(hours=1)  # turned on at 10:00, an hour after its time
    bob = await person(a, "bob")
    await notify(a, bob, MORNING, title="before")
    await notify(a, bob, clock.current + timedelta(minutes=1), title="after")
    assert await a.digests.run_due(clock.current + timedelta(minutes=2)) == 0
    assert await a.digests.run_due(NINE + timedelta(days=1)) == 1
    # The first covers what came since the period the schedule started in.
    assert await digests_of(a, bob) == ["Daily digest: 1 unread notification"]
    # Weekly, on Mondays: 30 November is the next one.
    weekly = DigestSchedule(frequency=DigestFrequency.weekly, hour=9, weekday=0)
    await a.notifications.save_preferences(bob, Preferences(digest=weekly))
    await notify(a, bob, NINE + timedelta(days=1, hours=1), title="later")
    assert await a.digests.run_due(NINE + timedelta(days=3)) == 0
    assert await a.digests.run_due(datetime(2026, 11, 30, 9, tzinfo=UTC)) == 1


async def test_the_scheduler_runs_the_service_in_the_background(
    nodes: tuple[Node, Node], clock: FixedClock
) -> None:
    a, _ = nodes
    bob = await person(a, "bob")
    await notify(a, bob, MORNING)
    clock.current = NINE
    scheduler = DigestScheduler(a.digests, interval=0.05)
    a.arrived.clear()
    await scheduler.start()
    try:
        async with asyncio.timeout(10):
            await a.arrived.wait()
        await asyncio.sleep(0.2)  # a few more ticks: the same period is not sent again
    finally:
        await scheduler.stop()
    assert len(await digests_of(a, bob)) == 1


async def test_one_claim_wins_among_many_at_once(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    bob = await person(a, "bob")
    await notify(a, bob, MORNING)
    draft = NotificationDraft(
        recipient_id=bob,
        kind=NotificationKind.digest,
        level=Level.info,
        title="Daily digest",
        link="/",
        group_key="digest:x",
        group_title="digests",
        group_link="/",
        occurred_at=NINE,
        event_id="digest:x",
    )
    stores = [a.store, b.store] * 5
    won = await asyncio.gather(*(s.claim_digest(bob, NINE, draft, NINE) for s in stores))
    assert len([row for row in won if row is not None]) == 1
    assert await digests_of(a, bob) == ["Daily digest"]
    # An earlier period can no longer be claimed either.
    assert await a.store.claim_digest(bob, NINE - timedelta(days=1), draft, NINE) is None
