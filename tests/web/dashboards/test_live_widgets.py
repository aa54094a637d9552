"""A pull request merged on (simulated) GitHub updates the widgets that depend on it on an open
dashboard, live, and no other widget is recomputed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.runtime import Runtime
from tests.servers import APPS, running_app, running_simulator, simulator_settings, stack_settings
from tests.web.dashboards.world import payloads, subscribe
from tests.web.realtime_clients import RecordingHandler, sdk_client
from tests.web.test_github_flow import sign_in

pytestmark = pytest.mark.stack


@dataclass
class Live:
    url: str
    github: str
    runtime: Runtime
    alice: httpx.AsyncClient
    team: int
    repositories: dict[str, int]  # name ("api", "web") → id


@pytest.fixture
async def live(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> AsyncIterator[Live]:
    await migrate.upgrade(stack_database)
    async with running_simulator(repos=2, issues_per_repo=5, pulls_per_repo=8) as (github, _):
        settings = stack_settings(
            tmp_path, stack_database, stack_redis, sync_interval=3600, **simulator_settings(github)
        )
        async with running_app(settings) as url:
            alice = await sign_in(url, "alice")
            team = (await alice.post("/api/teams", json={"name": "Live"})).json()["id"]
            repositories = {}
            for name in ("api", "web"):
                followed = await alice.post(
                    f"/api/teams/{team}/repositories", json={"full_name": f"acme/{name}"}
                )
                assert followed.status_code == 201, followed.text
                repositories[name] = followed.json()["id"]
            runtime: Runtime = APPS[url].state.runtime
            await runtime.scheduler.wait_idle()
            secret = (await alice.post(f"/api/teams/{team}/github-webhook")).json()["secret"]
            async with httpx.AsyncClient(base_url=github) as gh:
                hook = f"{url}/webhooks/github?team={team}"
                await gh.put("/_simulator/webhook", json={"url": hook, "secret": secret})
            yield Live(url, github, runtime, alice, team, repositories)
            await alice.aclose()


def widget(widget_id: str, metric: str, repository: int, x: int) -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "number",
        "title": widget_id,
        "config": {
            "repositories": [repository],
            "metric": metric,
            "range": "28d",
            "filters": {"include_bots": True},
        },
        "layout": {"x": x, "y": 0, "w": 3, "h": 2},
    }


async def test_a_merge_updates_only_the_widgets_that_read_it(live: Live) -> None:
    board = (
        await live.alice.post("/api/dashboards", json={"team_id": live.team, "title": "Live"})
    ).json()
    widgets = [
        widget(f"{name}-{short}", metric, live.repositories[name], x)
        for x, (name, short, metric) in enumerate(
            [
                ("api", "merged", "pulls_merged"),
                ("web", "merged", "pulls_merged"),
                ("api", "issues", "issues_opened"),
                ("web", "issues", "issues_opened"),
            ]
        )
    ]
    added = await live.alice.post(
        f"/api/dashboards/{board['id']}/ops",
        json={
            "base_version": board["version"],
            "client_op_id": "setup",
            "ops": [{"op": "add_widget", "widget": w} for w in widgets],
        },
    )
    assert added.status_code == 200, added.text
    ids = [w["id"] for w in widgets]
    service = live.runtime.widget_data

    async def fetch_all() -> dict[str, Any]:
        values = {}
        for widget_id in ids:
            response = await live.alice.get(
                f"/api/dashboards/{board['id']}/widgets/{widget_id}/data"
            )
            assert response.status_code == 200, response.text
            values[widget_id] = response.json()["data"]["value"]
        return values

    before = await fetch_all()
    computed = service.computations
    assert await fetch_all() == before
    assert service.computations == computed  # served from the cache

    # The dashboard is open in a browser: subscribed to its channel.
    token = live.runtime.authenticator.issue_connect_token(
        (await live.alice.get("/api/me")).json()["user"]["id"]
    )
    client = sdk_client(live.url, RecordingHandler(), token=token)
    await client.connect()
    events = await subscribe(client, f"dashboard:{board['id']}")
    assert events.subscribed

    async with httpx.AsyncClient(base_url=live.github) as gh:
        stepped = await gh.post("/_simulator/activity/step", json={"action": "merge_pull"})
        (step,) = stepped.json()["steps"]
        assert step["performed"], step
        await gh.post("/_simulator/deliveries/flush")
    await live.runtime.github_webhooks.drain()
    merged_in = step["repository"].split("/")[-1]
    assert merged_in in live.repositories, step

    # Every webhook of the merge is processed: whatever it published is in the channel up to
    # this position; wait until the page has all of it.
    top = await live.runtime.infra.history.top(f"dashboard:{board['id']}")
    assert top.offset > 0
    await events.wait_for(
        lambda: bool(events.publications) and events.publications[-1][0] >= top.offset
    )
    notices = payloads(events, "dashboard.widget_data")
    assert [n["widget_ids"] for n in notices] == [[f"{merged_in}-merged"]]

    after = await fetch_all()
    assert service.computations == computed + 1  # only the widget that was told
    assert after[f"{merged_in}-merged"] == before[f"{merged_in}-merged"] + 1
    assert {k: v for k, v in after.items() if k != f"{merged_in}-merged"} == {
        k: v for k, v in before.items() if k != f"{merged_in}-merged"
    }
    await client.disconnect()
