"""Two `hubdeck serve` processes sharing PostgreSQL and Redis: each remembers sessions and
memberships for a few seconds, and forgets a member removed, or a role changed, through the
other as soon as the broadcast that also takes the member's sockets off the team arrives."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.redis.sessions import RedisSessionStore
from hubdeck.core.clock import SystemClock
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SessionPolicy
from hubdeck.core.users import Role
from hubdeck.services.auth import Authenticator
from tests.conftest import STACK
from tests.servers import server_process
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(STACK != "scaleout", reason="several processes share state through Redis"),
]

SECRET_KEY = "two-nodes-access-secret-key-shared-by-both"


async def test_a_member_removed_through_one_process_is_refused_by_the_other(
    tmp_path: Path, postgres_database: str, redis_url: str, redis_prefix: str
) -> None:
    await migrate.upgrade(postgres_database)
    engine = create_engine(postgres_database)
    users = DbUserStore(engine)
    alice, bob, carol = [await users.add(login) for login in ("alice", "bob", "carol")]
    teams = DbTeamStore(engine)
    team = await teams.create("nodes", "Nodes", None, alice.id)
    await teams.add_member(team.id, bob.id, Role.member)
    await teams.add_member(team.id, carol.id, Role.member)
    await engine.dispose()
    client = aioredis.Redis.from_url(redis_url)
    auth = Authenticator(
        RedisSessionStore(client, redis_prefix), SessionPolicy(), SystemClock(), SECRET_KEY
    )
    sessions = {user.login: await auth.sign_in(user.id) for user in (alice, bob, carol)}

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

        def on(node_url: str, login: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(
                base_url=node_url,
                cookies={INSECURE_SESSION_COOKIE: sessions[login]},
                headers={"Origin": node_url, "X-CSRF-Token": auth.csrf_token(sessions[login])},
            )

        members = f"/api/teams/{team.id}/members"
        async with on(node_a.url, "alice") as alice_a, on(node_b.url, "bob") as bob_b:
            handler = RecordingHandler()
            socket = sdk_client(
                node_b.url,
                handler,
                headers={"Cookie": f"{INSECURE_SESSION_COOKIE}={sessions['bob']}"},
            )
            await socket.connect()
            events = RecordingSubscription()
            await socket.new_subscription(f"team:{team.id}", events=events).subscribe()
            await events.wait_for(lambda: bool(events.subscribed))
            for _ in range(3):  # node B now answers from memory
                assert (await bob_b.get(members)).status_code == 200

            removed = await alice_a.delete(f"{members}/{bob.id}")
            assert removed.status_code == 204
            # Node B heard of it (the socket lost the team): its memory of bob is gone too.
            await events.wait_for(lambda: bool(events.unsubscribed))
            assert (await bob_b.get(members)).status_code == 404
            await socket.disconnect()

        async with on(node_a.url, "alice") as alice_a, on(node_b.url, "carol") as carol_b:
            sync = f"/api/teams/{team.id}/repositories"
            for _ in range(3):
                assert (await carol_b.get(sync)).status_code == 200
            demoted = await alice_a.patch(f"{members}/{carol.id}", json={"role": "viewer"})
            assert demoted.status_code == 200
            # No socket to wait on: a viewer still sees the team, and a refusal of what a
            # viewer may not do is never taken from memory.
            follow = await carol_b.post(sync, json={"full_name": "acme/api"})
            assert follow.status_code == 403
    await client.aclose()
