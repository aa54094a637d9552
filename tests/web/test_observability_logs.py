"""One GitHub delivery followed through the JSON logs of a real `hubdeck serve` process: the
request's id, the domain event it became (its id bound while the consumers run), and the outgoing
webhook that carried the event, each line naming the ids that tie it to the others."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.core.github.models import Repository
from hubdeck.core.github.webhooks import sign
from hubdeck.core.webhooks.signing import generate_secret
from tests.servers import server_process
from tests.web.test_observability import samples
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.stack

SECRET_KEY = "observability-secret-key-of-enough-length"
GITHUB_SECRET = "hook-secret"
EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures/github/webhook-examples/issues/opened.payload.json"
)


async def seed(database: str, hook_url: str) -> tuple[int, str]:
    """A team following acme/api, with GitHub's webhook secret and one outgoing endpoint."""
    await migrate.upgrade(database)
    engine = create_engine(database)
    box = FernetSecretBox(SECRET_KEY)
    alice = await DbUserStore(engine).add("alice")
    teams = DbTeamStore(engine)
    team = await teams.create("traced", "Traced", None, alice.id)
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(4242, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, alice.id)
    await teams.set_webhook_secret(team.id, box.encrypt(GITHUB_SECRET))
    secret = generate_secret()
    await DbWebhookStore(engine).create_endpoint(
        team_id=team.id,
        url=hook_url,
        description="",
        event_types=[],
        enabled=True,
        secret_encrypted=box.encrypt(secret),
        created_by=alice.id,
        at=datetime.now(UTC),
    )
    await engine.dispose()
    return team.id, secret


async def test_a_delivery_is_followed_from_request_to_event_to_webhook(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> None:
    async with running_receiver() as receiver:
        team, secret = await seed(stack_database, receiver.url + "/hooks")
        receiver.secrets.append(secret)
        env = {
            "HUBDECK_DATABASE_URL": stack_database,
            "HUBDECK_SECRET_KEY": SECRET_KEY,
            "HUBDECK_DATA_DIR": str(tmp_path / "data"),
            "HUBDECK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        }
        if stack_redis is not None:
            env["HUBDECK_REDIS_URL"], env["HUBDECK_REDIS_PREFIX"] = stack_redis
        log_path = tmp_path / "server.log"
        with server_process(env, log_path) as node:
            payload = json.loads(EXAMPLE.read_text())
            payload["repository"]["id"] = 4242
            body = json.dumps(payload).encode()
            async with httpx.AsyncClient(base_url=node.url, timeout=10) as client:
                response = await client.post(
                    f"/webhooks/github?team={team}",
                    content=body,
                    headers={
                        "X-GitHub-Event": "issues",
                        "X-GitHub-Delivery": str(uuid.uuid4()),
                        "X-Hub-Signature-256": sign(GITHUB_SECRET, body),
                        "X-Request-ID": "gh-delivery-7",
                    },
                )
                assert response.status_code == 202, response.text
                assert response.headers["x-request-id"] == "gh-delivery-7"
                await receiver.wait_for(lambda: len(receiver.deliveries) == 1)
                metrics = (await client.get("/metrics")).text
        delivery = receiver.deliveries[0]
        assert delivery.verified

    lines: list[dict[str, Any]] = [
        json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")
    ]
    request = next(line for line in lines if line.get("request_id") == "gh-delivery-7")
    assert request["event"] == "http.request"
    assert request["path"] == "/webhooks/github"

    published = [line for line in lines if line["event"] == "events.published"]
    [issue] = [line for line in published if line.get("event_type") == "issue.opened"]
    # The event was published by the request's work: its log line names both.
    assert issue["request_id"] == "gh-delivery-7"
    event_id = issue["event_id"]
    assert delivery.payload["data"]["event_id"] == event_id

    [attempt] = [line for line in lines if line["event"] == "webhooks.attempt"]
    assert attempt["event_id"] == event_id
    assert attempt["event_type"] == "issue.opened"
    assert attempt["msg_id"] == delivery.headers["webhook-id"]
    assert attempt["outcome"] == "delivered"

    assert samples(metrics, "hubdeck_domain_events_total")[(("type", "issue.opened"),)] == 1
    counts = samples(metrics, "hubdeck_http_request_duration_seconds_count")
    assert counts[(("method", "POST"), ("route", "/webhooks/github"), ("status", "2xx"))] == 1
