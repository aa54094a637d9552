"""POST /webhooks/github with GitHub's real example payloads and with the simulator's hooks."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.webhooks import sign
from hubdeck.runtime import Runtime
from tests.servers import APPS, running_app, running_simulator, simulator_settings, stack_settings
from tests.web.test_github_flow import sign_in

pytestmark = pytest.mark.stack

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "github" / "webhook-examples"


class Setup:
    def __init__(
        self,
        url: str,
        simulator_url: str,
        client: httpx.AsyncClient,
        team: int,
        repository: dict[str, Any],
        secret: str,
    ) -> None:
        self.url = url
        self.simulator_url = simulator_url
        self.client = client
        self.team = team
        self.repository = repository
        self.secret = secret
        self.events: list[DomainEvent] = []

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = APPS[self.url].state.runtime
        return runtime

    async def post(
        self,
        event: str,
        payload: dict[str, Any],
        *,
        delivery: str | None = None,
        secret: str | None = None,
        body: bytes | None = None,
    ) -> httpx.Response:
        raw = body if body is not None else json.dumps(payload).encode()
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(secret or self.secret, raw),
            "Content-Type": "application/json",
        }
        async with httpx.AsyncClient(base_url=self.url) as hook:
            response = await hook.post(
                f"/webhooks/github?team={self.team}", content=raw, headers=headers
            )
        await self.runtime.github_webhooks.drain()
        return response

    def aimed(self, path: Path) -> dict[str, Any]:
        """An example payload aimed at the followed repository, about an issue or pull request
        number the simulator's seed does not use (so "opened" is news)."""
        payload: dict[str, Any] = json.loads(path.read_text())
        if "repository" in payload:
            payload["repository"]["id"] = self.repository["github_id"]
            payload["repository"]["full_name"] = self.repository["full_name"]
        for key in ("issue", "pull_request"):
            if isinstance(payload.get(key), dict):
                payload[key]["number"] = 90_000 + payload[key]["number"]
        return payload


@pytest.fixture
async def setup(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> AsyncIterator[Setup]:
    await migrate.upgrade(stack_database)
    async with running_simulator(repos=2, issues_per_repo=5, pulls_per_repo=5) as (gh, _):
        settings = stack_settings(
            tmp_path, stack_database, stack_redis, sync_interval=3600, **simulator_settings(gh)
        )
        async with running_app(settings) as url:
            alice = await sign_in(url, "alice")
            team = (await alice.post("/api/teams", json={"name": "Hooks"})).json()["id"]
            repository = (
                await alice.post(f"/api/teams/{team}/repositories", json={"full_name": "acme/api"})
            ).json()
            runtime: Runtime = APPS[url].state.runtime
            await runtime.scheduler.wait_idle()
            secret = (await alice.post(f"/api/teams/{team}/github-webhook")).json()
            assert secret["url"].endswith(f"/webhooks/github?team={team}")
            ready = Setup(url, gh, alice, team, repository, secret["secret"])

            async def record(batch: Any) -> None:
                ready.events.extend(batch)

            runtime.bus.subscribe("test", record)
            yield ready
            await alice.aclose()


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
async def test_every_example_payload_is_accepted_and_processed(setup: Setup, path: Path) -> None:
    event = path.parent.name
    response = await setup.post(event, setup.aimed(path))
    assert response.status_code == 202, response.text
    assert response.json()["duplicate"] is False
    kinds = {e.type.split(".")[0] for e in setup.events}
    expectations = {
        "pull_request": "pull_request",
        "pull_request_review": "pull_request",
        "issues": "issue",
        "issue_comment": "comment",
        "release": "release",
        "workflow_run": "workflow_run",
    }
    if event in expectations:
        assert expectations[event] in kinds, [e.type for e in setup.events]


async def test_a_pull_request_webhook_updates_the_data_and_the_metrics(setup: Setup) -> None:
    payload = setup.aimed(EXAMPLES / "pull_request" / "opened.payload.json")
    number = payload["pull_request"]["number"]
    await setup.post("pull_request", payload)
    assert [e.type for e in setup.events][:1] == ["pull_request.opened"]
    assert setup.events[0].subject == f"acme/api#{number}"
    stored = await setup.runtime.ingest.load(setup.repository["id"], "pull", [str(number)])
    assert stored[str(number)].title == payload["pull_request"]["title"]


async def test_bad_signature_is_refused_and_nothing_processed(setup: Setup) -> None:
    payload = setup.aimed(EXAMPLES / "issues" / "opened.payload.json")
    delivery = str(uuid.uuid4())
    refused = await setup.post("issues", payload, delivery=delivery, secret="wrong")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert setup.events == []
    # The refused delivery left no trace: the genuine one with the same id is processed.
    accepted = await setup.post("issues", payload, delivery=delivery)
    assert accepted.json()["duplicate"] is False
    assert [e.type for e in setup.events] == ["issue.opened"]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b""])
async def test_malformed_body_is_a_400(setup: Setup, body: bytes) -> None:
    response = await setup.post("issues", {}, body=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert setup.events == []


async def test_missing_headers_are_a_400(setup: Setup) -> None:
    async with httpx.AsyncClient(base_url=setup.url) as hook:
        response = await hook.post("/webhooks/github", content=b"{}")
    assert response.status_code == 400


async def test_the_same_delivery_twice_is_processed_once(setup: Setup) -> None:
    payload = setup.aimed(EXAMPLES / "issues" / "opened.payload.json")
    delivery = str(uuid.uuid4())
    first = await setup.post("issues", payload, delivery=delivery)
    again = await setup.post("issues", payload, delivery=delivery)
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    # The same event through another hook (an App), under another delivery id.
    via_app = await setup.post("issues", {**payload, "installation": {"id": 5}})
    assert via_app.json()["duplicate"] is True
    assert [e.type for e in setup.events] == ["issue.opened"]


async def test_an_event_hubdeck_does_not_model_is_kept_as_activity(setup: Setup) -> None:
    payload = {
        "action": "created",
        "repository": {"id": setup.repository["github_id"], "full_name": "acme/api"},
        "sender": {"login": "alice", "id": 1},
        "pages": [{"page_name": "Home", "action": "edited"}],
    }
    response = await setup.post("gollum", payload)
    assert response.status_code == 202
    assert [(e.type, e.data["event"]) for e in setup.events] == [("github.event", "gollum")]


async def test_a_payload_of_the_wrong_shape_does_not_take_the_receiver_down(setup: Setup) -> None:
    payload = {
        "action": "opened",
        "repository": {"id": setup.repository["github_id"]},
        "pull_request": {"number": "not a number"},
    }
    assert (await setup.post("pull_request", payload)).status_code == 202
    good = setup.aimed(EXAMPLES / "issues" / "opened.payload.json")
    assert (await setup.post("issues", good)).status_code == 202
    assert [e.type for e in setup.events] == ["issue.opened"]


async def test_simulator_webhooks_flow_into_hubdeck(setup: Setup) -> None:
    async with httpx.AsyncClient(base_url=setup.simulator_url) as gh:
        await gh.put(
            "/_simulator/webhook",
            json={"url": f"{setup.url}/webhooks/github?team={setup.team}", "secret": setup.secret},
        )
        await gh.post("/_simulator/activity/step", json={"count": 40})
        await gh.post("/_simulator/deliveries/flush")
        deliveries = (await gh.get("/_simulator/deliveries")).json()
    await setup.runtime.github_webhooks.drain()
    statuses = (
        {d["status"] for d in deliveries["deliveries"]}
        if isinstance(deliveries, dict)
        else {d["status"] for d in deliveries}
    )
    assert statuses == {"delivered"}
    about_api = [e for e in setup.events if e.data.get("repository") == "acme/api"]
    assert about_api, "no event of the followed repository arrived"


async def test_received_events_reach_the_team_activity_feed(setup: Setup) -> None:
    await setup.post("issues", setup.aimed(EXAMPLES / "issues" / "opened.payload.json"))
    await setup.post("pull_request", setup.aimed(EXAMPLES / "pull_request" / "opened.payload.json"))
    feed = (await setup.client.get(f"/api/teams/{setup.team}/activity")).json()
    types = [item["type"] for item in feed["items"]]
    assert {"pull_request.opened", "issue.opened"} <= set(types)
    # Newest first, by when it happened on GitHub (the examples are from years ago).
    times = [item["occurred_at"] for item in feed["items"]]
    assert times == sorted(times, reverse=True)
    assert "repository.synced" in types  # the baseline sync is part of the story
    only_issues = (
        await setup.client.get(f"/api/teams/{setup.team}/activity", params={"type": "issue"})
    ).json()
    assert {item["type"] for item in only_issues["items"]} == {"issue.opened"}
    page = (await setup.client.get(f"/api/teams/{setup.team}/activity", params={"limit": 1})).json()
    assert len(page["items"]) == 1
    assert page["next_before"] is not None
    bad = await setup.client.get(f"/api/teams/{setup.team}/activity", params={"type": "nonsense"})
    assert bad.status_code == 422
    bob = await sign_in(setup.url, "bob")
    assert (await bob.get(f"/api/teams/{setup.team}/activity")).status_code == 404
    await bob.aclose()
