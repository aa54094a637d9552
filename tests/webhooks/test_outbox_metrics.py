"""The webhook outbox in /metrics: pending messages by whether their endpoint is enabled, and
the age of the oldest one an enabled endpoint waits for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.core.webhooks.model import MessageStatus, NewMessage
from hubdeck.core.webhooks.outcome import AttemptResult
from tests.web.test_observability import samples
from tests.webhooks.conftest import World
from tests.webhooks.test_outgoing_api import create, emit


@pytest.mark.stack
async def test_queue_depth_is_the_number_of_pending_messages(world: World) -> None:
    alice = await world.http("alice")
    # Disabled: its messages are kept for a replay, and stay pending whatever the dispatcher does.
    endpoint = await create(alice, world, "http://127.0.0.1:1/hooks", enabled=False)
    for number in range(5):
        await emit(world, "issue.opened", number=number)
    pending = await world.runtime.webhooks.messages(
        world.team, world.users["alice"], endpoint["id"], status=MessageStatus.pending
    )
    assert len(pending) == 5

    async with httpx.AsyncClient(base_url=world.server) as scraper:
        text = (await scraper.get("/metrics")).text
    depth = samples(text, "hubdeck_webhook_outbox_pending")
    assert depth == {(("endpoints", "disabled"),): 5, (("endpoints", "enabled"),): 0}
    # Kept messages of a disabled endpoint are no delivery falling behind.
    assert samples(text, "hubdeck_webhook_outbox_oldest_age_seconds")[()] == 0
    assert samples(text, "hubdeck_domain_events_total")[(("type", "issue.opened"),)] == 5


async def test_outbox_state_counts_pending_messages_and_dates_the_oldest(
    any_database: str,
) -> None:
    await migrate.upgrade(any_database)
    engine = create_engine(any_database)
    user = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("acme", "Acme", None, user.id)
    store = DbWebhookStore(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    assert (await store.outbox_state()).pending == 0
    ids = []
    for enabled in (True, False):
        endpoint = await store.create_endpoint(
            team_id=team.id,
            url="https://hooks.example.com/",
            description="",
            event_types=[],
            enabled=enabled,
            secret_encrypted=b"x",
            created_by=user.id,
            at=now,
        )
        ids.append(endpoint.id)
    on, off = ids

    def batch(endpoint_id: int, first: int, count: int) -> list[NewMessage]:
        return [
            NewMessage(endpoint_id, f"msg_{endpoint_id}_{n}", f"e{n}", "issue.opened", "{}", now)
            for n in range(first, first + count)
        ]

    await store.enqueue(batch(on, 0, 2), now - timedelta(minutes=5), backlog=100)
    await store.enqueue(batch(on, 2, 1), now - timedelta(minutes=1), backlog=100)
    await store.enqueue(batch(off, 0, 4), now - timedelta(hours=3), backlog=100)
    # A delivered message is out of the queue: claim the two oldest and deliver one.
    first, _ = await store.claim(now, timedelta(seconds=30), 2)
    await store.record(
        first, AttemptResult(200, 1), now, status=MessageStatus.delivered, next_attempt_at=now
    )

    state = await store.outbox_state()
    assert (state.pending, state.pending_disabled) == (2, 4)
    assert state.oldest_pending_at == now - timedelta(minutes=5)
    await engine.dispose()
