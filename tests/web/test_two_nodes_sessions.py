"""Two `hubdeck serve` processes sharing PostgreSQL and Redis: a session revoked through one
loses its socket on the other at once, and its next request there gets 401."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.redis.sessions import RedisSessionStore
from hubdeck.core.clock import SystemClock
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SessionPolicy
from hubdeck.services.auth import Authenticator
from tests.conftest import STACK
from tests.servers import server_process
from tests.web.realtime_clients import RecordingHandler, sdk_client

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(STACK != "scaleout", reason="several processes share state through Redis"),
]

SECRET_KEY = "two-nodes-sessions-secret-key-shared-by-both"


async def test_revoking_through_one_process_drops_the_socket_on_the_other(
    tmp_path: Path, postgres_database: str, redis_url: str, redis_prefix: str
) -> None:
    await migrate.upgrade(postgres_database)
    engine = create_engine(postgres_database)
    alice = await DbUserStore(engine).add("alice")
    await engine.dispose()
    client = aioredis.Redis.from_url(redis_url)
    auth = Authenticator(
        RedisSessionStore(client, redis_prefix), SessionPolicy(), SystemClock(), SECRET_KEY
    )
    laptop = await auth.sign_in(alice.id, user_agent="laptop")
    phone = await auth.sign_in(alice.id, user_agent="phone")

    env = {
        "HUBDECK_DATABASE_URL": postgres_database,
        "HUBDECK_REDIS_URL": redis_url,
        "HUBDECK_REDIS_PREFIX": redis_prefix,
        "HUBDECK_SECRET_KEY": SECRET_KEY,
        "HUBDECK_DATA_DIR": str(tmp_path / "data"),
    }
    with (
        server_process(env, tmp_path / "a.log") as node_a,
        server_process(env, tmp_path / "b.log") as node_b,
    ):
        handler = RecordingHandler()
        socket = sdk_client(
            node_b.url, handler, headers={"Cookie": f"{INSECURE_SESSION_COOKIE}={phone}"}
        )
        await socket.connect()
        await asyncio.wait_for(handler.connected.wait(), 10)

        async with (
            httpx.AsyncClient(
                base_url=node_a.url,
                cookies={INSECURE_SESSION_COOKIE: laptop},
                headers={"Origin": node_a.url, "X-CSRF-Token": auth.csrf_token(laptop)},
            ) as on_a,
            httpx.AsyncClient(
                base_url=node_b.url, cookies={INSECURE_SESSION_COOKIE: phone}
            ) as on_b,
        ):
            assert (await on_b.get("/api/me")).status_code == 200
            listed = (await on_a.get("/api/sessions")).json()["sessions"]
            target = next(s for s in listed if not s["current"])
            assert target["connections"] == 1  # recorded by process B, seen by process A
            assert (await on_a.delete(f"/api/sessions/{target['id']}")).status_code == 204

            await asyncio.wait_for(handler.disconnected.wait(), 5)
            assert handler.codes("disconnected") == [3503]
            assert (await on_b.get("/api/me")).status_code == 401
            assert (await on_a.get("/api/me")).status_code == 200
        await socket.disconnect()
    await client.aclose()
