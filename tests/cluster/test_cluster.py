"""Faults across processes: `hubdeck cluster` on PostgreSQL and Redis, web nodes and workers
killed with SIGKILL, and Redis restarted under them."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy import select

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.credentials import DbTokenStore
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.sessions import DbSessionStore
from hubdeck.adapters.db.tables import sync_jobs
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.redis.sessions import RedisSessionStore
from hubdeck.core.clock import SystemClock
from hubdeck.core.github.models import Repository
from hubdeck.core.github.webhooks import sign
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE, SessionPolicy
from hubdeck.services.auth import Authenticator
from tests.cluster.harness import Cluster, running_cluster, scrape
from tests.conftest import STACK
from tests.pool.conftest import token_for
from tests.servers import running_simulator, simulator_settings
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client
from tests.web.test_readiness_with_redis_restart import PrivateRedis, private_redis  # noqa: F401

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(STACK != "scaleout", reason="a cluster shares PostgreSQL and Redis"),
]

SECRET_KEY = "cluster-secret-key-shared-by-every-process-of-it"
WEBHOOK_SECRET = "hook-secret"
GITHUB_ID = 4242
EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures/github/webhook-examples/issues/opened.payload.json"
)


class Team:
    def __init__(self, team_id: int, user_id: int, token: str) -> None:
        self.id = team_id
        self.user_id = user_id
        self.connect_token = token


async def a_team_following_a_repository(database: str) -> Team:
    await migrate.upgrade(database)
    engine = create_engine(database)
    alice = await DbUserStore(engine).add("alice")
    teams = DbTeamStore(engine)
    team = await teams.create("cluster", "Cluster", None, alice.id)
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(GITHUB_ID, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, alice.id)
    await teams.set_webhook_secret(team.id, FernetSecretBox(SECRET_KEY).encrypt(WEBHOOK_SECRET))
    auth = Authenticator(DbSessionStore(engine), SessionPolicy(), SystemClock(), SECRET_KEY)
    token = auth.issue_connect_token(alice.id)
    await engine.dispose()
    return Team(team.id, alice.id, token)


def cluster_env(tmp_path: Path, database: str, redis_url: str, prefix: str) -> dict[str, str]:
    return {
        "HUBDECK_DATABASE_URL": database,
        "HUBDECK_REDIS_URL": redis_url,
        "HUBDECK_REDIS_PREFIX": prefix,
        "HUBDECK_SECRET_KEY": SECRET_KEY,
        "HUBDECK_DATA_DIR": str(tmp_path / "data"),
        "HUBDECK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "HUBDECK_WEBHOOK_TIMEOUT": "2",
    }


async def post_issue(http: httpx.AsyncClient, url: str, team: Team, number: int) -> None:
    """A signed GitHub `issues` webhook: issue #number opened."""
    payload = json.loads(EXAMPLE.read_text())
    payload["repository"]["id"] = GITHUB_ID
    payload["issue"]["number"] = number
    payload["issue"]["id"] = 50_000 + number
    body = json.dumps(payload).encode()
    response = await http.post(
        f"{url}/webhooks/github?team={team.id}",
        content=body,
        headers={
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(WEBHOOK_SECRET, body),
        },
    )
    assert response.status_code == 202, response.text
    # One delivery's ingest finishes before the next: the order below is the order sent.
    await asyncio.sleep(0.1)


def subjects(events: RecordingSubscription) -> list[str]:
    return [data["data"]["subject"] for _, data in events.publications]


async def subscribed(url: str, team: Team) -> tuple[Any, RecordingSubscription]:
    client = sdk_client(
        url,
        RecordingHandler(),
        token=team.connect_token,
        min_reconnect_delay=0.2,
        max_reconnect_delay=1.0,
    )
    await client.connect()
    events = RecordingSubscription()
    await client.new_subscription(f"team:{team.id}", events=events).subscribe()
    await events.wait_for(lambda: bool(events.subscribed))
    return client, events


async def node_holding_the_socket(cluster: Cluster) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        for node in cluster.of_role("node"):
            if await scrape(http, node, "hubdeck_ws_connections") == 1.0:
                return node
    raise AssertionError("no node holds the socket")


async def test_a_killed_nodes_clients_reconnect_through_the_balancer_and_recover(
    tmp_path: Path, postgres_database: str, redis_url: str, redis_prefix: str
) -> None:
    team = await a_team_following_a_repository(postgres_database)
    env = cluster_env(tmp_path, postgres_database, redis_url, redis_prefix)
    with running_cluster(env, tmp_path / "cluster.log", nodes=2, workers=1) as cluster:
        # Web nodes started with --no-background leave the sync round to the worker.
        async with httpx.AsyncClient() as http, asyncio.timeout(30):
            while await scrape(http, cluster.member("worker", 1), "hubdeck_sync_leader") != 1:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            for node in cluster.of_role("node"):
                assert await scrape(http, node, "hubdeck_sync_leader") == 0.0
                assert await scrape(http, node, "hubdeck_sync_running") == 0.0
        client, events = await subscribed(cluster.balancer, team)
        async with httpx.AsyncClient(timeout=10) as http:
            for number in range(1, 6):
                await post_issue(http, cluster.balancer, team, number)
            await events.wait_for(lambda: len(events.publications) >= 5, timeout=20)

            holder = await node_holding_the_socket(cluster)
            cluster.kill(holder)
            # Published while the client is away: the balancer only reaches the other node.
            for number in range(6, 11):
                await post_issue(http, cluster.balancer, team, number)
            await events.wait_for(lambda: len(events.publications) >= 10, timeout=30)

            survivor = next(n for n in cluster.of_role("node") if n is not holder)
            assert await scrape(http, survivor, "hubdeck_ws_connections") == 1.0
        await client.disconnect()

    # Every publication once, in the channel's order (the offsets); which issue got which
    # offset is the order the nodes finished ingesting, not necessarily the order sent.
    assert [offset for offset, _ in events.publications] == list(range(1, 11))
    assert sorted(subjects(events)) == sorted(f"acme/api#{n}" for n in range(1, 11))
    resumed = events.subscribed[-1]
    assert resumed.was_recovering and resumed.recovered


async def test_a_worker_killed_mid_sync_is_replaced_and_the_sync_completes(
    tmp_path: Path, postgres_database: str, redis_url: str, redis_prefix: str
) -> None:
    # Every GitHub request takes a while, so the kill lands in the middle of the sync.
    async with running_simulator(
        repos=2, private_repos=0, issues_per_repo=10, pulls_per_repo=12, response_delay=0.2
    ) as (sim_url, _):
        await migrate.upgrade(postgres_database)
        engine = create_engine(postgres_database)
        alice = await DbUserStore(engine).add("alice")
        token = await token_for(sim_url, "alice")
        await DbTokenStore(engine).save(
            alice.id, FernetSecretBox(SECRET_KEY).encrypt(token), "repo read:org"
        )
        async with httpx.AsyncClient(base_url=sim_url) as gh:
            listed = (
                await gh.get("/orgs/acme/repos", headers={"Authorization": f"Bearer {token}"})
            ).json()[0]
        teams = DbTeamStore(engine)
        team = await teams.create("cluster", "Cluster", None, alice.id)
        store = DbGitHubStore(engine)
        repo, _ = await store.upsert_repository(
            Repository(listed["id"], "acme", listed["name"], False, "main", listed["html_url"]),
            {},
        )
        await teams.follow(team.id, repo.id, alice.id)

        settings = simulator_settings(sim_url)
        env = cluster_env(tmp_path, postgres_database, redis_url, redis_prefix) | {
            f"HUBDECK_{name.upper()}": str(value) for name, value in settings.items()
        }
        with running_cluster(env, tmp_path / "cluster.log", nodes=1, workers=2) as cluster:
            workers = {w["pid"]: w for w in cluster.of_role("worker")}
            # The round's leader queues the repository at once; a worker claims it.
            holder = await claim_holder(engine, timeout=30)
            assert holder in workers, f"claimed by {holder}, not a worker of {list(workers)}"
            cluster.kill(workers[holder])
            survivor = next(w for pid, w in workers.items() if pid != holder)

            # The job's lease (15 s) runs out and the other worker syncs it to the end.
            async with asyncio.timeout(60):
                stored = await store.get_repository(repo.id)
                while stored is None or stored.synced_at is None:
                    await asyncio.sleep(0.5)
                    stored = await store.get_repository(repo.id)
            counts = await store.count_objects(repo.id)
            assert counts.get("pull") == 12 and counts.get("issue", 0) >= 10

            # And the periodic round runs on: the survivor leads it (it may have already).
            async with httpx.AsyncClient() as http, asyncio.timeout(30):
                while await scrape(http, survivor, "hubdeck_sync_leader") != 1.0:  # noqa: ASYNC110
                    await asyncio.sleep(0.5)
        await engine.dispose()


async def claim_holder(engine: Any, timeout: float) -> int:
    """The pid of the process that holds the first claimed sync job."""
    async with asyncio.timeout(timeout):
        while True:
            async with engine.connect() as conn:
                claim = (
                    await conn.execute(
                        select(sync_jobs.c.claim).where(sync_jobs.c.claim.isnot(None))
                    )
                ).scalar()
            if claim is not None:
                return int(claim.split(":")[1])
            await asyncio.sleep(0.05)


async def test_after_a_redis_restart_nodes_reconnect_and_clients_recover_without_reload(
    tmp_path: Path,
    postgres_database: str,
    private_redis: PrivateRedis,  # noqa: F811
) -> None:
    from tests.webhooks.receiver import running_receiver

    team = await a_team_following_a_repository(postgres_database)
    env = cluster_env(tmp_path, postgres_database, private_redis.url, "hubdeck:")
    async with running_receiver() as receiver:
        with running_cluster(env, tmp_path / "cluster.log", nodes=2, workers=1) as cluster:
            node_1, node_2 = cluster.of_role("node")
            await an_endpoint(cluster, team, private_redis.url, receiver)
            first_client, first = await subscribed(node_1["url"], team)
            second_client, second = await subscribed(node_2["url"], team)
            async with httpx.AsyncClient(timeout=10) as http:
                for number in range(1, 4):
                    await post_issue(http, node_1["url"], team, number)
                for events in (first, second):
                    await events.wait_for(lambda e=events: len(e.publications) >= 3, timeout=20)

                private_redis.stop()
                await asyncio.sleep(1.0)
                private_redis.start()  # empty: no history, a new epoch for every channel
                for node in (node_1, node_2):
                    await ready(http, node["url"])
                # Each node, back on Redis, sends its subscribers to recover; history is gone,
                # so they are told `recovered: false` (a page refetches its data then).
                for events in (first, second):
                    await events.wait_for(lambda e=events: told_to_refetch(e), timeout=30)
                for number in range(4, 7):
                    await post_issue(http, node_2["url"], team, number)
                for events in (first, second):
                    await events.wait_for(lambda e=events: len(e.publications) >= 6, timeout=30)
            for client in (first_client, second_client):
                await client.disconnect()
            # Outgoing webhooks live in PostgreSQL: every event is delivered, none lost.
            await receiver.wait_for(lambda: len(receiver.ids) >= 6, timeout=30)

    for events in (first, second):
        # Live again on the same socket: what was published after the restart arrives, once.
        assert sorted(subjects(events)) == sorted(f"acme/api#{n}" for n in range(1, 7))
    opened = sorted(d.payload["data"]["subject"] for d in receiver.deliveries)
    assert opened == sorted({f"acme/api#{n}" for n in range(1, 7)})
    assert all(d.verified for d in receiver.deliveries)


def told_to_refetch(events: RecordingSubscription) -> bool:
    return any(s.was_recovering and not s.recovered for s in events.subscribed)


async def ready(http: httpx.AsyncClient, url: str) -> None:
    async with asyncio.timeout(30):
        while True:
            try:
                if (await http.get(url + "/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)


async def an_endpoint(cluster: Cluster, team: Team, redis_url: str, receiver: Any) -> None:
    """An outgoing webhook endpoint of the team, created through a node's API."""
    client = aioredis.Redis.from_url(redis_url)
    auth = Authenticator(
        RedisSessionStore(client, "hubdeck:"), SessionPolicy(), SystemClock(), SECRET_KEY
    )
    session = await auth.sign_in(team.user_id, user_agent="laptop")
    await client.aclose()
    url = cluster.member("node", 1)["url"]
    async with httpx.AsyncClient(
        base_url=url,
        cookies={INSECURE_SESSION_COOKIE: session},
        headers={"Origin": url, "X-CSRF-Token": auth.csrf_token(session)},
    ) as http:
        response = await http.post(
            f"/api/teams/{team.id}/webhooks/endpoints", json={"url": receiver.url + "/in"}
        )
    assert response.status_code == 201, response.text
    receiver.secrets.append(response.json()["secret"])
