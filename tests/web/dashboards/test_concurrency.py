"""Edits racing each other, on one node and on two nodes sharing PostgreSQL and Redis: every
accepted batch becomes exactly one version, and every viewer gets them in version order."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.core.dashboards import Document, apply_ops
from hubdeck.core.dashboards.ops import parse_ops
from tests.conftest import STACK
from tests.servers import APPS, running_app, stack_settings
from tests.web.dashboards.world import World, make_world, new_dashboard, payloads, subscribe

pytestmark = pytest.mark.stack

RACERS = 12


def racing_batch(i: int) -> list[dict[str, Any]]:
    if i % 3 == 0:
        return [{"op": "set", "target": "dashboard", "path": "title", "value": f"Title {i}"}]
    widget = "w1" if i % 2 else "w2"
    return [{"op": "move_widget", "widget_id": widget, "x": i % 10, "y": i}]


async def race(clients: list[httpx.AsyncClient], board: dict[str, Any]) -> list[dict[str, Any]]:
    async def send(i: int) -> dict[str, Any]:
        response = await clients[i % len(clients)].post(
            f"/api/dashboards/{board['id']}/ops",
            json={
                "base_version": board["version"],
                "client_op_id": f"race-{i}",
                "ops": racing_batch(i),
            },
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    return list(await asyncio.gather(*(send(i) for i in range(RACERS))))


async def check_order(world: World, board: dict[str, Any], events: Any) -> None:
    first = board["version"] + 1
    await events.wait_for(lambda: len(payloads(events, "dashboard.ops")) == RACERS)
    published = payloads(events, "dashboard.ops")
    assert [p["version"] for p in published] == list(range(first, first + RACERS))
    # Applying the publications in order gives what the server holds.
    document = Document.model_validate({k: board[k] for k in ("title", "description", "widgets")})
    for publication in published:
        document, _, skipped = apply_ops(document, parse_ops(publication["ops"]))
        assert skipped == []
    final = (await (await world.http("alice")).get(f"/api/dashboards/{board['id']}")).json()
    assert final["version"] == first + RACERS - 1
    assert document.title == final["title"]
    assert [w.model_dump(mode="json") for w in document.widgets] == final["widgets"]


async def test_racing_edits_on_one_node_get_one_version_each(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    events = await subscribe(await world.socket("vera"), f"dashboard:{board['id']}")
    answers = await race([alice, bob], board)
    assert sorted(a["version"] for a in answers) == list(
        range(board["version"] + 1, board["version"] + 1 + RACERS)
    )
    await check_order(world, board, events)


@pytest.mark.skipif(STACK != "scaleout", reason="two nodes share state through Redis")
async def test_racing_edits_on_two_nodes_reach_viewers_of_both_in_version_order(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> None:
    await migrate.upgrade(stack_database)
    settings = stack_settings(tmp_path, stack_database, stack_redis)
    async with running_app(settings) as first_url, running_app(settings) as second_url:
        first = await make_world(settings, first_url)
        # The same people and team, through the other node.
        second = replace(
            first,
            server=second_url,
            runtime=APPS[second_url].state.runtime,
            _clients=[],
            _sockets=[],
        )
        try:
            board = await new_dashboard(await first.http("alice"), first.team)
            on_first = await subscribe(await first.socket("vera"), f"dashboard:{board['id']}")
            on_second = await subscribe(await second.socket("bob"), f"dashboard:{board['id']}")
            clients = [await first.http("alice"), await second.http("bob")]
            answers = await race(clients, board)
            assert len({a["version"] for a in answers}) == RACERS
            await check_order(first, board, on_first)
            await check_order(second, board, on_second)
        finally:
            await first.close()
            await second.close()
