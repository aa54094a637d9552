"""Dashboards over the socket with real centrifuge-python clients: who may subscribe, edits as
RPC with their version checks, publications, focus, presence."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import websockets
from centrifuge import Client, ReplyError

from hubdeck.adapters.db import migrate
from hubdeck.config import Settings
from tests.servers import running_app, stack_settings
from tests.web.dashboards.world import (
    World,
    make_world,
    new_dashboard,
    number_widget,
    payloads,
    subscribe,
)
from tests.web.realtime_clients import ws_url

pytestmark = pytest.mark.stack


async def rpc_ops(
    client: Client, board: int, base: int, *ops: dict[str, Any], op_id: str = "x"
) -> dict[str, Any]:
    result = await client.rpc(
        "dashboard.ops",
        {"dashboard_id": board, "base_version": base, "client_op_id": op_id, "ops": list(ops)},
    )
    data: dict[str, Any] = result.data
    return data


def rename(title: str) -> dict[str, Any]:
    return {"op": "set", "target": "dashboard", "path": "title", "value": title}


async def test_only_people_who_may_view_subscribe(world: World) -> None:
    alice = await world.http("alice")
    board = await new_dashboard(alice, world.team)
    channel = f"dashboard:{board['id']}"
    for login, allowed in (("alice", True), ("bob", True), ("vera", True), ("carol", False)):
        events = await subscribe(await world.socket(login), channel)
        if allowed:
            assert events.subscribed and not events.unsubscribed, login
        else:
            assert [c.code for c in events.unsubscribed] == [103], login
    # A grant opens it.
    await alice.put(
        f"/api/dashboards/{board['id']}/grants", json={"login": "carol", "role": "viewer"}
    )
    events = await subscribe(await world.socket("carol"), channel)
    assert events.subscribed
    eve = await subscribe(await world.socket("eve"), channel)
    assert [c.code for c in eve.unsubscribed] == [103]


async def test_an_edit_over_the_socket_reaches_every_viewer(world: World) -> None:
    alice_http = await world.http("alice")
    board = await new_dashboard(alice_http, world.team)
    channel = f"dashboard:{board['id']}"
    alice, bob = await world.socket("alice"), await world.socket("bob")
    on_alice, on_bob = await subscribe(alice, channel), await subscribe(bob, channel)
    answer = await rpc_ops(
        bob,
        board["id"],
        board["version"],
        rename("From the socket"),
        {"op": "resize_widget", "widget_id": "w1", "w": 6, "h": 4},
        op_id="b-1",
    )
    assert answer["version"] == board["version"] + 1
    for events in (on_alice, on_bob):
        await events.wait_for(lambda e=events: bool(payloads(e, "dashboard.ops")))
        (published,) = payloads(events, "dashboard.ops")
        assert published["version"] == answer["version"]
        assert published["ops"] == answer["ops"]
        assert published["client_op_id"] == "b-1"
        assert published["actor"]["login"] == "bob" and published["actor"]["name"] == "Bob"
        assert published["summary"].startswith("Renamed the dashboard")
    envelope = on_alice.publications[-1][1]
    assert envelope["data"]["type"] == "dashboard.ops" and envelope["data"]["actor"] == "bob"
    snapshot = (await alice_http.get(f"/api/dashboards/{board['id']}")).json()
    assert snapshot["title"] == "From the socket"
    assert snapshot["widgets"][0]["layout"]["w"] == 6
    # The snapshot's position is past the publication: a subscriber from there misses nothing.
    assert snapshot["stream"]["offset"] == on_alice.publications[-1][0]


async def test_every_socket_write_checks_the_version_and_the_role(world: World) -> None:
    alice_http = await world.http("alice")
    board = await new_dashboard(alice_http, world.team)
    alice, vera = await world.socket("alice"), await world.socket("vera")
    version = board["version"]
    layout = {"op": "move_widget", "widget_id": "w2", "x": 0, "y": 3}
    size = {"op": "resize_widget", "widget_id": "w2", "w": 2, "h": 2}
    for op in (rename("Ahead"), layout, size):
        with pytest.raises(ReplyError) as ahead:
            await rpc_ops(alice, board["id"], version + 1, op)
        assert ahead.value.code == 1409
        with pytest.raises(ReplyError) as old:
            await rpc_ops(alice, board["id"], 0, op)
        assert old.value.code == 1409
    with pytest.raises(ReplyError) as missing:
        await alice.rpc(
            "dashboard.ops", {"dashboard_id": board["id"], "client_op_id": "m", "ops": [layout]}
        )
    assert missing.value.code == 107
    # A viewer's edit is refused.
    with pytest.raises(ReplyError) as refused:
        await rpc_ops(vera, board["id"], version, rename("Viewer's"))
    assert refused.value.code == 103
    with pytest.raises(ReplyError) as focus:
        await vera.rpc("dashboard.focus", {"dashboard_id": board["id"], "widget_id": "w1"})
    assert focus.value.code == 103
    with pytest.raises(ReplyError) as malformed:
        await rpc_ops(alice, board["id"], version, {"op": "set", "target": "dashboard"})
    assert malformed.value.code == 107
    with pytest.raises(ReplyError) as unknown:
        await rpc_ops(alice, 987654, 1, rename("X"))
    assert unknown.value.code == 1404
    with pytest.raises(ReplyError) as method:
        await alice.rpc("dashboard.nope", {})
    assert method.value.code == 104
    assert (await alice_http.get(f"/api/dashboards/{board['id']}")).json()["version"] == version
    # The connection is still fine after the refusals.
    ok = await rpc_ops(alice, board["id"], version, layout)
    assert ok["version"] == version + 1


async def test_the_overwritten_editor_is_told_over_the_socket(world: World) -> None:
    alice_http = await world.http("alice")
    board = await new_dashboard(alice_http, world.team)
    channel = f"dashboard:{board['id']}"
    alice, bob = await world.socket("alice"), await world.socket("bob")
    on_alice = await subscribe(alice, channel)
    base = board["version"]
    await rpc_ops(alice, board["id"], base, rename("Alice"), op_id="a")
    answer = await rpc_ops(bob, board["id"], base, rename("Bob"), op_id="b")
    assert [o["user"]["login"] for o in answer["overwritten"]] == ["alice"]
    await on_alice.wait_for(lambda: len(payloads(on_alice, "dashboard.ops")) == 2)
    second = payloads(on_alice, "dashboard.ops")[1]
    assert second["actor"]["login"] == "bob"
    (told,) = second["overwritten"]
    assert told["user"]["id"] == world.users["alice"]
    assert (told["target"], told["path"]) == ("dashboard", "title")


async def test_focus_and_presence_show_who_edits_what_on_how_many_devices(world: World) -> None:
    alice_http = await world.http("alice")
    board = await new_dashboard(alice_http, world.team)
    channel = f"dashboard:{board['id']}"
    laptop, phone, bob = (
        await world.socket("alice"),
        await world.socket("alice"),
        await world.socket("bob"),
    )
    on_bob = await subscribe(bob, channel, join_leave=True)
    await subscribe(laptop, channel)
    phone_subscription = await subscribe(phone, channel)
    assert phone_subscription.subscribed
    alice = str(world.users["alice"])
    await on_bob.wait_for(lambda: sum(j.user == alice for j in on_bob.joins) == 2)
    subscription = bob.get_subscription(channel)
    assert subscription is not None
    presence = await subscription.presence()
    by_user: dict[str, list[Any]] = {}
    for info in presence.clients.values():
        by_user.setdefault(info.user, []).append(info)
    assert len(by_user[str(world.users["alice"])]) == 2  # two devices
    alice_info = by_user[str(world.users["alice"])][0].conn_info
    assert alice_info == {
        "login": "alice",
        "name": "Alice",
        "avatar_url": "https://avatars.example/alice.png",
    }
    await laptop.rpc("dashboard.focus", {"dashboard_id": board["id"], "widget_id": "w1"})
    await on_bob.wait_for(lambda: bool(payloads(on_bob, "dashboard.focus")))
    (focus,) = payloads(on_bob, "dashboard.focus")
    assert focus["user"]["login"] == "alice" and focus["widget_id"] == "w1"
    assert focus["client"] in presence.clients  # the same id as in presence
    await phone.disconnect()
    await on_bob.wait_for(lambda: len(on_bob.leaves) == 1)
    after = await subscription.presence()
    assert sum(1 for c in after.clients.values() if c.user == str(world.users["alice"])) == 1


async def test_a_silently_dead_viewer_leaves_presence_within_ten_seconds(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> None:
    # The default ping settings, not the tests' short ones: what the product promises.
    await migrate.upgrade(stack_database)
    settings: Settings = stack_settings(tmp_path, stack_database, stack_redis)
    assert settings.ws_ping_interval + settings.ws_pong_timeout <= 10
    async with running_app(settings) as url:
        from tests.servers import APPS

        world = await make_world(settings, url)
        try:
            board = await new_dashboard(await world.http("alice"), world.team)
            channel = f"dashboard:{board['id']}"
            on_bob = await subscribe(await world.socket("bob"), channel, join_leave=True)
            token = APPS[url].state.runtime.authenticator.issue_connect_token(world.users["alice"])
            async with websockets.connect(ws_url(url), close_timeout=1) as raw:
                await raw.send(json.dumps({"id": 1, "connect": {"token": token}}))
                await raw.recv()
                await raw.send(json.dumps({"id": 2, "subscribe": {"channel": channel}}))
                await raw.recv()
                alice = str(world.users["alice"])
                await on_bob.wait_for(lambda: any(j.user == alice for j in on_bob.joins))
                # The network goes away: nothing is read or answered any more, not even the
                # close handshake.
                raw.transport.pause_reading()
                # Closed for the unanswered ping, which the settings above bound to 10 s.
                await on_bob.wait_for(
                    lambda: any(left.user == alice for left in on_bob.leaves), timeout=30
                )
        finally:
            await world.close()


async def test_a_widget_id_from_the_socket_is_checked_like_over_http(world: World) -> None:
    alice_http = await world.http("alice")
    board = await new_dashboard(alice_http, world.team, widgets=0)
    alice = await world.socket("alice")
    bad = number_widget("w1")
    bad["id"] = "not valid!"
    with pytest.raises(ReplyError) as refused:
        await rpc_ops(alice, board["id"], board["version"], {"op": "add_widget", "widget": bad})
    assert refused.value.code == 107 and "ops.0" in refused.value.message


async def test_calls_of_one_connection_are_applied_in_the_order_sent(world: World) -> None:
    board = await new_dashboard(await world.http("alice"), world.team)
    alice = await world.socket("alice")
    moves = [
        rpc_ops(
            alice,
            board["id"],
            board["version"],
            {"op": "move_widget", "widget_id": "w1", "x": x, "y": 0},
            op_id=f"move-{x}",
        )
        for x in range(1, 7)
    ]
    answers = await asyncio.gather(*moves)
    assert [a["version"] for a in answers] == list(
        range(board["version"] + 1, board["version"] + 7)
    )
    final = (await (await world.http("bob")).get(f"/api/dashboards/{board['id']}")).json()
    assert final["widgets"][0]["layout"]["x"] == 6
