"""Three pages co-edit through the real server (HTTP for edits, the socket for publications)
with random delays, following the client rebase rules: they all end with the server's
dashboard. Seeded, so every run plays the same scenarios."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from hubdeck.core.dashboards import Document, Published, Replica
from hubdeck.core.dashboards.ops import load_ops
from tests.web.dashboards.world import World, new_dashboard, number_widget
from tests.web.realtime_clients import RecordingSubscription

pytestmark = pytest.mark.stack

SCENARIOS = 12
EDITS = 12


@dataclass
class Page:
    name: str
    http: httpx.AsyncClient
    replica: Replica
    removed: list[dict[str, Any]] = field(default_factory=list)
    added: int = 0
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)


def random_ops(rng: random.Random, page: Page) -> list[dict[str, Any]]:
    visible = page.replica.visible
    ids = [w.id for w in visible.widgets] + ["w1", "w2", "w3"]
    target = rng.choice(ids)
    kind = rng.choice(["title", "move", "resize", "metric", "add", "remove", "undo"])
    if kind == "title":
        return [{"op": "set", "target": "dashboard", "path": "title", "value": rng.choice("ABC")}]
    if kind == "move":
        return [{"op": "move_widget", "widget_id": target, "x": rng.randrange(12), "y": 1}]
    if kind == "resize":
        return [{"op": "resize_widget", "widget_id": target, "w": rng.randrange(1, 13), "h": 2}]
    if kind == "metric":
        metric = rng.choice(["commits", "cycle_time", "pulls_opened"])
        return [{"op": "set", "target": target, "path": "config.metric", "value": metric}]
    if kind == "add":
        page.added += 1
        return [{"op": "add_widget", "widget": number_widget(f"{page.name}{page.added}")}]
    if kind == "remove" or not page.removed:
        gone = visible.widget(target)
        if gone is not None:
            page.removed.append(gone.model_dump(mode="json"))
        return [{"op": "remove_widget", "widget_id": target}]
    return [{"op": "restore_widget", "widget": page.removed.pop()}]


async def play(world: World, rng: random.Random, pages: list[Page], board: dict[str, Any]) -> None:
    async def edit(page: Page) -> None:
        raw = random_ops(rng, page)
        batch = page.replica.edit(load_ops(raw))
        base = page.replica.version
        await asyncio.sleep(rng.random() * 0.02)  # on its way to the server
        # One request at a time per page: its batches reach the server in order.
        async with page.sending:
            response = await page.http.post(
                f"/api/dashboards/{board['id']}/ops",
                json={
                    "base_version": base,
                    "client_op_id": batch.client_op_id,
                    "client": page.name,
                    "ops": raw,
                },
            )
        assert response.status_code == 200, response.text
        answer = response.json()
        await asyncio.sleep(rng.random() * 0.02)  # on its way back
        published = (
            Published(
                answer["version"], tuple(load_ops(answer["ops"])), batch.client_op_id, page.name
            )
            if answer["ops"]
            else None
        )
        page.replica.answered(batch.client_op_id, published)

    edits = []
    for _ in range(EDITS):
        edits.append(asyncio.create_task(edit(rng.choice(pages))))
        await asyncio.sleep(rng.random() * 0.01)
    await asyncio.gather(*edits)


async def test_pages_editing_through_the_server_converge(world: World) -> None:
    rng = random.Random(20261126)
    alice = await world.http("alice")
    logins = {"a": "alice", "b": "bob", "c": "alice"}  # alice on two devices
    sockets = {name: await world.socket(login) for name, login in logins.items()}
    for _ in range(SCENARIOS):
        board = await new_dashboard(alice, world.team, widgets=3)
        start = Document.model_validate({k: board[k] for k in ("title", "description", "widgets")})
        pages = [
            Page(name, await world.http(login), Replica(name, start, board["version"]))
            for name, login in logins.items()
        ]
        feeds = {}
        for page in pages:
            events = feeds[page.name] = Feed(page)
            subscription = sockets[page.name].new_subscription(
                f"dashboard:{board['id']}", events=events
            )
            await subscription.subscribe()
            await events.wait_for(lambda e=events: bool(e.subscribed))
        await play(world, rng, pages, board)
        final = (await alice.get(f"/api/dashboards/{board['id']}")).json()
        expected = Document.model_validate(
            {k: final[k] for k in ("title", "description", "widgets")}
        )
        version = final["version"]
        for page in pages:
            # Every version is published: the page has them all once it is at the last one.
            await feeds[page.name].wait_for(lambda p=page, v=version: p.replica.version == v)
            assert page.replica.pending == [] and not page.replica.needs_snapshot
            assert page.replica.visible == expected
        for socket in sockets.values():
            subscription = socket.get_subscription(f"dashboard:{board['id']}")
            if subscription is not None:
                await subscription.unsubscribe()
                socket.remove_subscription(subscription)


@dataclass
class Feed(RecordingSubscription):
    """Hands each publication to the page's replica as it arrives."""

    page: Page | None = None

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    async def on_publication(self, ctx: Any) -> None:
        await super().on_publication(ctx)
        event = ctx.pub.data
        if event["type"] == "dashboard.ops" and self.page is not None:
            data = event["data"]["data"]
            self.page.replica.receive(
                Published(
                    data["version"],
                    tuple(load_ops(data["ops"])),
                    data["client_op_id"],
                    data["client"],
                )
            )
