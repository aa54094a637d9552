"""Which widgets a domain event makes stale: by repository and by the kind of data each widget's
metric reads; only those are announced, and only those are computed again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hubdeck.core.events import DomainEvent
from tests.web.dashboards.world import World, new_dashboard, payloads, subscribe

pytestmark = pytest.mark.stack


def widget(widget_id: str, metric: str, repositories: list[int], x: int) -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "number",
        "config": {"repositories": repositories, "metric": metric},
        "layout": {"x": x, "y": 0, "w": 3, "h": 2},
    }


async def test_events_announce_and_recompute_only_the_widgets_they_change(world: World) -> None:
    alice = await world.http("alice")
    board = await new_dashboard(alice, world.team, widgets=0)
    added = await alice.post(
        f"/api/dashboards/{board['id']}/ops",
        json={
            "base_version": board["version"],
            "client_op_id": "setup",
            "ops": [
                {"op": "add_widget", "widget": widget("pulls", "pulls_merged", [], 0)},
                {"op": "add_widget", "widget": widget("issues", "issues_opened", [world.repo], 3)},
                {"op": "add_widget", "widget": widget("ci", "ci_success_rate", [], 6)},
            ],
        },
    )
    assert added.status_code == 200, added.text
    events = await subscribe(await world.socket("bob"), f"dashboard:{board['id']}")
    service = world.runtime.widget_data

    async def fetch_all() -> None:
        for widget_id in ("pulls", "issues", "ci"):
            url = f"/api/dashboards/{board['id']}/widgets/{widget_id}/data"
            assert (await alice.get(url)).status_code == 200

    async def emit(
        kind: str, *, repository: int | None = None, team: int | None = None
    ) -> list[str]:
        seen = len(payloads(events, "dashboard.widget_data"))
        before = service.computations
        await world.runtime.bus.publish(
            [
                DomainEvent(
                    type=kind,
                    occurred_at=datetime.now(UTC),
                    repository_id=repository,
                    team_id=team,
                    data={"repository": "acme/api"},
                )
            ]
        )
        top = await world.runtime.infra.history.top(f"dashboard:{board['id']}")
        await events.wait_for(lambda: events.publications[-1][0] >= top.offset)
        notices = payloads(events, "dashboard.widget_data")[seen:]
        assert len(notices) <= 1
        await fetch_all()
        told: list[str] = notices[0]["widget_ids"] if notices else []
        # Exactly the widgets announced were computed again.
        assert service.computations - before == len(told)
        return told

    await fetch_all()
    assert await emit("issue.opened", repository=world.repo) == ["issues"]
    assert await emit("workflow_run.failed", repository=world.repo) == ["ci"]
    assert await emit("pull_request.merged", repository=world.repo) == ["pulls"]
    assert await emit("comment.created", repository=world.repo) == ["pulls", "issues"]
    assert await emit("team.invited", team=world.team) == []
    assert await emit("repository.followed", repository=world.repo, team=world.team) == [
        "pulls",
        "issues",
        "ci",
    ]
