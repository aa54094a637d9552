"""Two `hubdeck serve` processes sharing PostgreSQL and Redis act as one real-time server."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.sessions import DbSessionStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.core.clock import SystemClock
from hubdeck.core.github.models import Repository
from hubdeck.core.github.webhooks import sign
from hubdeck.core.sessions import SessionPolicy
from hubdeck.services.auth import Authenticator
from tests.conftest import STACK
from tests.servers import server_process
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(STACK != "scaleout", reason="several processes share state through Redis"),
]

SECRET_KEY = "two-nodes-secret-key-shared-by-both-processes"
WEBHOOK_SECRET = "hook-secret"
EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures/github/webhook-examples/issues/opened.payload.json"
)


async def test_clients_on_two_nodes_see_the_same_events_in_the_same_order(
    tmp_path: Path, postgres_database: str, redis_url: str, redis_prefix: str
) -> None:
    await migrate.upgrade(postgres_database)
    engine = create_engine(postgres_database)
    alice = await DbUserStore(engine).add("alice")
    teams = DbTeamStore(engine)
    team = await teams.create("nodes", "Nodes", None, alice.id)
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(4242, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, alice.id)
    await teams.set_webhook_secret(team.id, FernetSecretBox(SECRET_KEY).encrypt(WEBHOOK_SECRET))
    auth = Authenticator(DbSessionStore(engine), SessionPolicy(), SystemClock(), SECRET_KEY)
    await engine.dispose()

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
        received: list[RecordingSubscription] = []
        clients = []
        for node in (node_a, node_b):
            client = sdk_client(
                node.url, RecordingHandler(), token=auth.issue_connect_token(alice.id)
            )
            await client.connect()
            events = RecordingSubscription()
            await client.new_subscription(f"team:{team.id}", events=events).subscribe()
            await events.wait_for(lambda events=events: bool(events.subscribed))
            received.append(events)
            clients.append(client)

        payload = json.loads(EXAMPLE.read_text())
        payload["repository"]["id"] = 4242
        async with httpx.AsyncClient() as hook:
            for n in range(20):
                payload["issue"]["number"] = 1000 + n
                payload["issue"]["id"] = 5000 + n
                body = json.dumps(payload).encode()
                node = (node_a, node_b)[n % 2]  # webhooks land on either node
                response = await hook.post(
                    f"{node.url}/webhooks/github?team={team.id}",
                    content=body,
                    headers={
                        "X-GitHub-Event": "issues",
                        "X-GitHub-Delivery": str(uuid.uuid4()),
                        "X-Hub-Signature-256": sign(WEBHOOK_SECRET, body),
                    },
                )
                assert response.status_code == 202, response.text
                await asyncio.sleep(0.05)  # one delivery's ingest finishes before the next

        for events in received:
            await events.wait_for(lambda events=events: len(events.publications) >= 20)
        on_a = [(offset, data["data"]["subject"]) for offset, data in received[0].publications]
        on_b = [(offset, data["data"]["subject"]) for offset, data in received[1].publications]
        assert on_a == on_b
        assert [offset for offset, _ in on_a] == list(range(1, 21))
        assert {subject for _, subject in on_a} == {f"acme/api#{1000 + n}" for n in range(20)}
        for client in clients:
            await client.disconnect()
