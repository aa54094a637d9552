"""/readyz follows Redis going away and coming back, without restarting HubDeck.

The test runs its own redis-server on a free port, so it can stop it without disturbing anyone.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from hubdeck.adapters.db import migrate
from tests.conftest import REQUIRE_SERVICES
from tests.servers import free_port, running_app, stack_settings


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                import time

                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


async def readiness(http: httpx.AsyncClient) -> tuple[int, dict[str, object]]:
    response = await http.get("/readyz")
    return response.status_code, response.json()


async def test_readyz_names_redis_while_it_is_down(
    tmp_path: Path, private_redis: PrivateRedis, sqlite_database: str
) -> None:
    await migrate.upgrade(sqlite_database)
    settings = stack_settings(tmp_path, sqlite_database, (private_redis.url, "hubdeck:"))
    async with running_app(settings) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        assert (await readiness(http))[0] == 200

        private_redis.stop()
        status, body = await readiness(http)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["down"] == ["redis"]
        checks = body["checks"]
        assert isinstance(checks, dict)
        assert checks["database"]["ok"] is True
        assert checks["redis"]["ok"] is False and checks["redis"]["error"]

        private_redis.start()
        for _ in range(50):  # the client reconnects on its next command
            status, body = await readiness(http)
            if status == 200:
                break
            await asyncio.sleep(0.1)
        assert status == 200, body


async def test_after_a_redis_restart_clients_resubscribe_without_recovery_and_go_on(
    tmp_path: Path, private_redis: PrivateRedis, sqlite_database: str
) -> None:
    from datetime import UTC, datetime

    from hubdeck.adapters.db.engine import create_engine
    from hubdeck.adapters.db.teams import DbTeamStore
    from hubdeck.adapters.db.users import DbUserStore
    from hubdeck.core.events import DomainEvent
    from hubdeck.runtime import Runtime
    from tests.servers import APPS
    from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

    await migrate.upgrade(sqlite_database)
    engine = create_engine(sqlite_database)
    alice = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("t", "T", None, alice.id)
    await engine.dispose()
    settings = stack_settings(tmp_path, sqlite_database, (private_redis.url, "hubdeck:"))
    async with running_app(settings) as url:
        runtime: Runtime = APPS[url].state.runtime

        async def publish(n: int) -> None:
            event = DomainEvent(
                type="repository.updated",
                occurred_at=datetime.now(UTC),
                team_id=team.id,
                data={"n": n},
            )
            await runtime.bus.publish([event])

        client = sdk_client(
            url, RecordingHandler(), token=runtime.authenticator.issue_connect_token(alice.id)
        )
        await client.connect()
        events = RecordingSubscription()
        await client.new_subscription(f"team:{team.id}", events=events).subscribe()
        await events.wait_for(lambda: bool(events.subscribed))
        await publish(1)
        await events.wait_for(lambda: len(events.publications) == 1)
        first_epoch = events.subscribed[0].stream_position.epoch

        await client.disconnect()
        private_redis.stop()
        private_redis.start()  # empty: history and its epoch are gone
        for _ in range(50):  # until Redis answers HubDeck again
            try:
                await publish(2)
                break
            except Exception:
                await asyncio.sleep(0.1)
        await client.connect()
        await events.wait_for(lambda: len(events.subscribed) == 2)
        again = events.subscribed[-1]
        assert (again.was_recovering, again.recovered) == (True, False)
        assert again.stream_position.epoch != first_epoch
        # Live again on the new stream.
        await publish(3)
        await events.wait_for(
            lambda: any(d["data"]["data"]["n"] == 3 for _, d in events.publications)
        )
        await client.disconnect()
