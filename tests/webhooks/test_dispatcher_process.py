"""The dispatcher as its own process (`hubdeck webhooks dispatch`), killed with SIGKILL in the
middle of a burst of 500 events and started again: the receiver ends with every one of them
(duplicates allowed, and detectable by webhook-id), none lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.app import build_runtime
from hubdeck.config import Settings
from hubdeck.core.events import DomainEvent
from hubdeck.runtime import Runtime
from tests.servers import free_port, stack_settings
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.stack

BURST = 500


@pytest.fixture
async def settings(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> Settings:
    await migrate.upgrade(stack_database)
    return stack_settings(
        tmp_path,
        stack_database,
        stack_redis,
        webhook_allowed_hosts="127.0.0.1",
        # A short attempt deadline keeps the lease of a killed dispatcher's messages short.
        webhook_timeout=2.0,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """The events' side: an app runtime without a dispatcher of its own."""
    async with AsyncExitStack() as stack:
        yield await build_runtime(settings, stack, background=False)


def process_env(settings: Settings) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
    env = {
        **inherited,
        "HUBDECK_DATA_DIR": str(settings.data_dir),
        "HUBDECK_DATABASE_URL": settings.resolved_database_url,
        "HUBDECK_SECRET_KEY": settings.resolved_secret_key(),
        "HUBDECK_WEBHOOK_ALLOWED_HOSTS": settings.webhook_allowed_hosts,
        "HUBDECK_WEBHOOK_TIMEOUT": str(settings.webhook_timeout),
        "HUBDECK_LOG_JSON": "false",
    }
    if settings.redis_url is not None:
        env["HUBDECK_REDIS_URL"] = settings.redis_url
        env["HUBDECK_REDIS_PREFIX"] = settings.redis_prefix
    return env


@contextmanager
def dispatcher(env: dict[str, str], log: Path, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hubdeck", "webhooks", "dispatch", *options],
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def until_nothing_pending(store: DbWebhookStore, endpoint_id: int) -> None:
    async with asyncio.timeout(60):
        pending = await store.pending_count(endpoint_id)
        while pending:
            await asyncio.sleep(0.2)
            pending = await store.pending_count(endpoint_id)


async def test_a_killed_dispatcher_loses_nothing(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    engine = create_engine(settings.resolved_database_url)
    alice = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("acme", "Acme", None, alice.id)
    async with running_receiver(delay=0.1) as receiver:
        created = await runtime.webhooks.create(team.id, alice.id, url=receiver.url + "/in")
        receiver.secrets.append(created.secret)
        events = [
            DomainEvent(
                type="annotation.created",
                occurred_at=datetime.now(UTC),
                team_id=team.id,
                subject=f"deploy {n}",
                data={"id": n, "text": f"deploy {n}", "tags": []},
            )
            for n in range(BURST)
        ]
        env = process_env(settings)
        log = tmp_path / "dispatcher.log"
        with dispatcher(env, log) as first:
            for start in range(0, BURST, 50):
                await runtime.bus.publish(events[start : start + 50])
            await receiver.wait_for(lambda: len(receiver.ids) >= 100, timeout=60)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        received_before_restart = len(receiver.ids)
        assert received_before_restart < BURST, "the kill came after the burst was delivered"
        store = DbWebhookStore(engine)
        metrics_port = free_port()
        with dispatcher(env, log, "--metrics-port", str(metrics_port)):
            await receiver.wait_for(lambda: len(receiver.ids) >= BURST, timeout=90)
            # What the killed process had in flight is sent again once its lease runs out.
            await until_nothing_pending(store, created.endpoint.id)
            # The dispatcher process serves /metrics too: its view of the outbox.
            async with httpx.AsyncClient() as http:
                scraped = (await http.get(f"http://127.0.0.1:{metrics_port}/metrics")).text
            assert 'hubdeck_webhook_outbox_pending{endpoints="enabled"} 0.0' in scraped

        messages = await store.messages(
            created.endpoint.id, status=None, event_type=None, before=None, limit=BURST + 10
        )
        await engine.dispose()
        assert receiver.ids == {m.msg_id for m in messages}
        assert len(receiver.ids) == BURST
        assert {m.status.value for m in messages} == {"delivered"}
        assert all(d.verified for d in receiver.deliveries)
        delivered_events = {d.payload["data"]["event_id"] for d in receiver.deliveries}
        assert delivered_events == {e.id for e in events}
        duplicates = len(receiver.deliveries) - len(receiver.ids)
        print(f"received {received_before_restart} before the kill, {duplicates} duplicates")


async def test_two_dispatchers_share_the_outbox_without_sending_anything_twice(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    """Without a crash, two dispatcher processes (and no other) deliver every message exactly
    once: a claim is never shared."""
    engine = create_engine(settings.resolved_database_url)
    alice = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("acme", "Acme", None, alice.id)
    store = DbWebhookStore(engine)
    async with running_receiver(delay=0.1) as receiver:
        created = await runtime.webhooks.create(team.id, alice.id, url=receiver.url + "/in")
        receiver.secrets.append(created.secret)
        events = [
            DomainEvent(
                type="custom_metric.recorded",
                occurred_at=datetime.now(UTC),
                team_id=team.id,
                subject="queue",
                data={"id": n, "name": "queue", "value": n},
            )
            for n in range(300)
        ]
        env = process_env(settings)
        with dispatcher(env, tmp_path / "a.log"), dispatcher(env, tmp_path / "b.log"):
            for start in range(0, len(events), 50):
                await runtime.bus.publish(events[start : start + 50])
            await receiver.wait_for(lambda: len(receiver.ids) >= len(events), timeout=90)
            await until_nothing_pending(store, created.endpoint.id)
    await engine.dispose()
    assert len(receiver.deliveries) == len(receiver.ids) == len(events)
    assert all(d.verified for d in receiver.deliveries)
    # Both took part (each logs its attempts).
    for name in ("a.log", "b.log"):
        assert "webhooks.attempt" in (tmp_path / name).read_text()
