"""Dashboards over HTTP through the real app: roles, the list's sections, editing with versions,
conflicts, history, share links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.tables import dashboard_links
from hubdeck.config import Settings
from tests.web.dashboards.world import World, new_dashboard, number_widget

pytestmark = pytest.mark.stack


async def ops(
    client: httpx.AsyncClient, board: int, base: int, *ops: dict[str, Any], op_id: str = "x"
) -> httpx.Response:
    return await client.post(
        f"/api/dashboards/{board}/ops",
        json={"base_version": base, "client_op_id": op_id, "ops": list(ops)},
    )


def rename(title: str) -> dict[str, Any]:
    return {"op": "set", "target": "dashboard", "path": "title", "value": title}


async def test_the_list_has_mine_shared_and_my_teams(world: World) -> None:
    alice, bob, carol, eve = [await world.http(p) for p in ("alice", "bob", "carol", "eve")]
    first = await new_dashboard(alice, world.team, "Alice's", widgets=0)
    second = await new_dashboard(bob, world.team, "Bob's", widgets=0)
    granted = await alice.put(
        f"/api/dashboards/{first['id']}/grants", json={"login": "carol", "role": "viewer"}
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["user"]["login"] == "carol"
    to_team = await alice.put(
        f"/api/dashboards/{first['id']}/grants",
        json={"team_id": world.other_team, "role": "editor"},
    )
    assert to_team.json()["team"]["id"] == world.other_team

    def sections(listing: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
        return {k: [d["title"] for d in v] for k, v in listing.items()}

    assert sections((await alice.get("/api/dashboards")).json()) == {
        "mine": ["Alice's"],
        "shared": [],
        "team": ["Bob's"],
    }
    bobs = (await bob.get("/api/dashboards")).json()
    assert sections(bobs) == {"mine": ["Bob's"], "shared": [], "team": ["Alice's"]}
    assert bobs["team"][0]["role"] == "editor"  # a team member edits the team's dashboards
    carols = (await carol.get("/api/dashboards")).json()
    assert sections(carols) == {"mine": [], "shared": ["Alice's"], "team": []}
    assert carols["shared"][0]["role"] == "viewer"
    assert carols["shared"][0]["owner"]["login"] == "alice"
    eves = (await eve.get("/api/dashboards")).json()
    assert sections(eves) == {"mine": [], "shared": ["Alice's"], "team": []}
    assert eves["shared"][0]["role"] == "editor"
    # Eve sees nothing of Bob's dashboard.
    assert (await eve.get(f"/api/dashboards/{second['id']}")).status_code == 404

    listed = (await alice.get(f"/api/dashboards/{first['id']}/grants")).json()["grants"]
    assert {(g["subject"], g["role"]) for g in listed} == {("user", "viewer"), ("team", "editor")}
    removed = await alice.delete(
        f"/api/dashboards/{first['id']}/grants", params={"user_id": world.users["carol"]}
    )
    assert removed.status_code == 204
    assert (await carol.get("/api/dashboards")).json()["shared"] == []
    assert (await carol.get(f"/api/dashboards/{first['id']}")).status_code == 404


async def test_templates_and_the_catalogue(world: World) -> None:
    alice = await world.http("alice")
    names = [t["title"] for t in (await alice.get("/api/dashboard-templates")).json()["templates"]]
    assert names == ["Team overview", "Pull-request flow", "CI health"]
    catalog = (await alice.get("/api/dashboard-catalog")).json()
    assert {t["type"] for t in catalog["widget_types"]} == {
        "number",
        "timeseries",
        "bar",
        "pie",
        "heatmap",
        "table",
        "activity",
    }
    created = await alice.post(
        "/api/dashboards",
        json={"team_id": world.team, "title": "Flow", "template": "pull-request-flow"},
    )
    assert created.status_code == 201
    board = created.json()
    assert board["version"] == 1 and board["role"] == "owner"
    assert len(board["widgets"]) == 9
    assert len({w["id"] for w in board["widgets"]}) == 9
    assert created.headers["x-hubdeck-stream"].startswith(f"dashboard:{board['id']} offset=")
    assert board["stream"]["channel"] == f"dashboard:{board['id']}"
    for widget in board["widgets"]:
        data = await alice.get(f"/api/dashboards/{board['id']}/widgets/{widget['id']}/data")
        assert data.status_code == 200, (widget, data.text)
        assert data.json()["status"] == "ok"
    unknown = await alice.post(
        "/api/dashboards", json={"team_id": world.team, "title": "X", "template": "nope"}
    )
    assert unknown.status_code == 422
    vera = await world.http("vera")
    refused = await vera.post("/api/dashboards", json={"team_id": world.team, "title": "Mine"})
    assert refused.status_code == 403


async def test_every_http_write_checks_the_version(world: World) -> None:
    alice = await world.http("alice")
    board = await new_dashboard(alice, world.team)
    url, version = f"/api/dashboards/{board['id']}", board["version"]
    layout = {"op": "move_widget", "widget_id": "w1", "x": 4, "y": 2}
    size = {"op": "resize_widget", "widget_id": "w1", "w": 6, "h": 3}
    for op in (rename("Ahead"), layout, size):
        ahead = await ops(alice, board["id"], version + 1, op)
        assert ahead.status_code == 409, op
        assert ahead.json()["error"]["code"] == "conflict"
        too_old = await ops(alice, board["id"], 0, op)
        assert too_old.status_code == 409, op
    missing = await alice.post(f"{url}/ops", json={"client_op_id": "m", "ops": [rename("X")]})
    assert missing.status_code == 422
    restore_ahead = await alice.post(
        f"{url}/restore", json={"base_version": version + 1, "version": 1}
    )
    assert restore_ahead.status_code == 409
    # Nothing of the refused writes was applied.
    assert (await alice.get(url)).json()["version"] == version
    # A malformed batch is refused whole.
    bad = await ops(alice, board["id"], version, rename("Fine"), {"op": "move_widget"})
    assert bad.status_code == 422
    assert "ops.1" in bad.json()["error"]["message"]
    assert (await alice.get(url)).json()["title"] == "Board"


async def test_a_viewer_cannot_edit_and_a_stranger_cannot_see(world: World) -> None:
    alice, vera, carol = [await world.http(p) for p in ("alice", "vera", "carol")]
    board = await new_dashboard(alice, world.team)
    refused = await ops(vera, board["id"], board["version"], rename("Mine now"))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    restore = await vera.post(
        f"/api/dashboards/{board['id']}/restore",
        json={"base_version": board["version"], "version": 1},
    )
    assert restore.status_code == 403
    assert (await vera.get(f"/api/dashboards/{board['id']}")).json()["role"] == "viewer"
    assert (await vera.delete(f"/api/dashboards/{board['id']}")).status_code == 403
    assert (await ops(carol, board["id"], board["version"], rename("X"))).status_code == 404
    assert (await carol.get(f"/api/dashboards/{board['id']}")).status_code == 404
    assert (await alice.get(f"/api/dashboards/{board['id']}")).json()["title"] == "Board"
    anonymous = world.anonymous()
    assert (await anonymous.get(f"/api/dashboards/{board['id']}")).status_code == 401


async def test_concurrent_renames_end_with_one_title_and_the_overwritten_is_named(
    world: World,
) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    base = board["version"]
    first = await ops(alice, board["id"], base, rename("Alice's title"), op_id="a1")
    second = await ops(bob, board["id"], base, rename("Bob's title"), op_id="b1")
    assert first.json()["overwritten"] == []
    answer = second.json()
    assert answer["version"] == base + 2
    (overwritten,) = answer["overwritten"]
    assert overwritten["target"] == "dashboard" and overwritten["path"] == "title"
    assert overwritten["user"]["login"] == "alice"
    assert overwritten["version"] == base + 1
    for client in (alice, bob):
        assert (await client.get(f"/api/dashboards/{board['id']}")).json()["title"] == (
            "Bob's title"
        )


async def test_a_move_and_a_rename_at_once_both_survive(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    base = board["version"]
    await ops(alice, board["id"], base, rename("Renamed"), op_id="a")
    moved = await ops(
        bob,
        board["id"],
        base,
        {"op": "move_widget", "widget_id": "w2", "x": 0, "y": 5},
        {"op": "set", "target": "w1", "path": "config.range", "value": "90d"},
        op_id="b",
    )
    assert moved.json()["overwritten"] == [] and moved.json()["dropped"] == []
    final = (await alice.get(f"/api/dashboards/{board['id']}")).json()
    assert final["title"] == "Renamed"
    widgets = {w["id"]: w for w in final["widgets"]}
    assert widgets["w2"]["layout"] == {"x": 0, "y": 5, "w": 3, "h": 2}
    assert widgets["w1"]["config"]["range"] == "90d"


async def test_an_edit_of_a_deleted_widget_is_dropped_and_undo_restores_it(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    base = board["version"]
    removed_widget = next(w for w in board["widgets"] if w["id"] == "w1")
    await ops(alice, board["id"], base, {"op": "remove_widget", "widget_id": "w1"}, op_id="rm")
    edit = await ops(
        bob,
        board["id"],
        base,
        {"op": "set", "target": "w1", "path": "title", "value": "Mine"},
        {"op": "move_widget", "widget_id": "w2", "x": 6, "y": 0},
        op_id="edit",
    )
    answer = edit.json()
    (dropped,) = answer["dropped"]
    assert dropped["index"] == 0 and dropped["reason"] == "widget_removed"
    assert dropped["by"]["login"] == "alice"
    assert [op["op"] for op in answer["ops"]] == ["move_widget"]  # the rest applied
    after = (await bob.get(f"/api/dashboards/{board['id']}")).json()
    assert [w["id"] for w in after["widgets"]] == ["w2"]
    # Alice undoes her removal: the widget comes back as it was.
    undo = await ops(
        alice,
        board["id"],
        after["version"],
        {"op": "restore_widget", "widget": removed_widget},
        op_id="undo",
    )
    assert undo.status_code == 200
    final = (await alice.get(f"/api/dashboards/{board['id']}")).json()
    assert [w["id"] for w in final["widgets"]] == ["w2", "w1"]
    assert final["widgets"][1] == removed_widget


async def test_a_retried_batch_is_applied_once(world: World) -> None:
    alice = await world.http("alice")
    board = await new_dashboard(alice, world.team)
    move = {"op": "move_widget", "widget_id": "w1", "x": 1, "y": 1}
    first = await ops(alice, board["id"], board["version"], move, op_id="same")
    again = await ops(alice, board["id"], board["version"], move, op_id="same")
    assert first.json() == again.json()
    assert (await alice.get(f"/api/dashboards/{board['id']}")).json()["version"] == (
        board["version"] + 1
    )


async def test_history_restores_the_dashboard_or_one_widget(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    good = board["version"]
    url = f"/api/dashboards/{board['id']}"
    await ops(
        bob,
        board["id"],
        good,
        rename("Broken"),
        {"op": "set", "target": "w1", "path": "title", "value": "Oops"},
        {"op": "remove_widget", "widget_id": "w2"},
        {"op": "add_widget", "widget": number_widget("w9", x=6)},
        op_id="b",
    )
    history = (await alice.get(f"{url}/revisions")).json()
    latest = history["revisions"][0]
    assert latest["version"] == good + 1 and latest["actor"]["login"] == "bob"
    assert latest["summary"].startswith("Renamed the dashboard to “Broken”")
    assert [r["version"] for r in history["revisions"]] == [good + 1, good, 1]
    page = (await alice.get(f"{url}/revisions", params={"limit": 1})).json()
    assert page["next_before"] == good + 1
    old = (await alice.get(f"{url}/revisions/{good}")).json()
    assert old["dashboard"]["title"] == "Board"
    assert [w["id"] for w in old["dashboard"]["widgets"]] == ["w1", "w2"]
    assert (await alice.get(f"{url}/revisions/99")).status_code == 404

    # One widget first: only it goes back.
    one = await alice.post(
        f"{url}/restore", json={"base_version": good + 1, "version": good, "widget_id": "w1"}
    )
    assert one.status_code == 200, one.text
    now = (await alice.get(url)).json()
    assert now["title"] == "Broken"
    assert {w["id"]: w["title"] for w in now["widgets"]} == {"w1": "W1", "w9": "W9"}
    missing = await alice.post(
        f"{url}/restore", json={"base_version": now["version"], "version": 1, "widget_id": "w1"}
    )
    assert missing.status_code == 404

    # Then all of it: a new version, itself in the history.
    whole = await alice.post(
        f"{url}/restore", json={"base_version": now["version"], "version": good}
    )
    assert whole.status_code == 200
    restored = (await alice.get(url)).json()
    assert restored["version"] == now["version"] + 1
    assert restored["title"] == "Board"
    assert sorted(w["id"] for w in restored["widgets"]) == ["w1", "w2"]
    top = (await alice.get(f"{url}/revisions")).json()["revisions"][0]
    assert top["restored_from"] == good and top["summary"] == f"Restored version {good}"
    # And undoable like any change: restore the version before the restore.
    undo = await alice.post(
        f"{url}/restore", json={"base_version": restored["version"], "version": now["version"]}
    )
    assert undo.status_code == 200
    assert (await alice.get(url)).json()["title"] == "Broken"


async def test_changes_by_others_since_my_last_visit_are_marked(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team, widgets=3)
    url = f"/api/dashboards/{board['id']}"
    first_visit = (await bob.get(url)).json()["changed_since_last_visit"]
    assert first_visit["since_version"] is None and first_visit["widgets"] == []
    assert (await bob.post(f"{url}/seen", json={"version": board["version"]})).status_code == 204
    await ops(
        alice,
        board["id"],
        board["version"],
        {"op": "move_widget", "widget_id": "w1", "x": 9, "y": 0},
        {"op": "remove_widget", "widget_id": "w3"},
        {"op": "add_widget", "widget": number_widget("w4", y=4)},
        rename("New name"),
        op_id="a",
    )
    await ops(bob, board["id"], board["version"] + 1, rename("Bob"), op_id="b")
    changes = (await bob.get(url)).json()["changed_since_last_visit"]
    assert changes["since_version"] == board["version"]
    by_widget = {c["widget_id"]: c for c in changes["widgets"]}
    assert set(by_widget) == {"w1", "w4"}
    assert by_widget["w4"]["added"] is True
    assert [p["login"] for p in by_widget["w1"]["by"]] == ["alice"]
    assert changes["removed"] == ["w3"]
    assert changes["dashboard"] == [{"path": "title", "by": [changes["widgets"][0]["by"][0]]}]
    # Alice's own changes are not news to her.
    await alice.post(f"{url}/seen", json={"version": board["version"]})
    mine = (await alice.get(url)).json()["changed_since_last_visit"]
    assert mine["widgets"] == [] and [p["path"] for p in mine["dashboard"]] == ["title"]


async def test_a_share_link_shows_the_dashboard_read_only_until_revoked_or_expired(
    world: World, settings: Settings
) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    url = f"/api/dashboards/{board['id']}"
    assert (await bob.post(f"{url}/links", json={})).status_code == 403  # owners only
    created = await alice.post(f"{url}/links", json={})
    assert created.status_code == 201
    link = created.json()
    assert link["url"].endswith(f"/shared/{link['token']}")
    anonymous = world.anonymous()
    shared = await anonymous.get(f"/api/shared/{link['token']}")
    assert shared.status_code == 200
    assert shared.json()["title"] == "Board" and shared.json()["role"] == "viewer"
    assert "stream" not in shared.json()
    data = await anonymous.get(f"/api/shared/{link['token']}/widgets/w1/data")
    assert data.status_code == 200 and data.json()["status"] == "ok"
    assert (await anonymous.get(f"/api/shared/{link['token']}/widgets/nope/data")).status_code == (
        404
    )
    # Read-only: without an account nothing can be written.
    write = await anonymous.post(
        f"{url}/ops",
        json={"base_version": board["version"], "client_op_id": "x", "ops": [rename("Hacked")]},
    )
    assert write.status_code == 401
    listed = (await alice.get(f"{url}/links")).json()["links"]
    assert [entry["id"] for entry in listed] == [link["id"]] and "token" not in listed[0]

    assert (await alice.delete(f"{url}/links/{link['id']}")).status_code == 204
    revoked = await anonymous.get(f"/api/shared/{link['token']}")
    assert revoked.status_code == 404
    assert revoked.json()["error"]["code"] == "not_found"
    assert (await anonymous.get(f"/api/shared/{link['token']}/widgets/w1/data")).status_code == 404

    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    expiring = (await alice.post(f"{url}/links", json={"expires_at": soon})).json()
    assert (await anonymous.get(f"/api/shared/{expiring['token']}")).status_code == 200
    engine = create_engine(settings.resolved_database_url)
    async with engine.begin() as conn:
        await conn.execute(
            update(dashboard_links)
            .where(dashboard_links.c.id == expiring["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    await engine.dispose()
    assert (await anonymous.get(f"/api/shared/{expiring['token']}")).status_code == 404
    assert (await anonymous.get("/api/shared/not-a-real-token-at-all")).status_code == 404
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert (await alice.post(f"{url}/links", json={"expires_at": past})).status_code == 422


async def test_only_the_owner_deletes(world: World) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team)
    assert (await bob.delete(f"/api/dashboards/{board['id']}")).status_code == 403
    assert (await alice.delete(f"/api/dashboards/{board['id']}")).status_code == 204
    assert (await alice.get(f"/api/dashboards/{board['id']}")).status_code == 404


async def test_widget_data_follows_the_configuration(world: World) -> None:
    alice = await world.http("alice")
    board = await new_dashboard(alice, world.team)
    url = f"/api/dashboards/{board['id']}"
    data = (await alice.get(f"{url}/widgets/w1/data")).json()
    assert data["type"] == "number" and data["metric"] == "pulls_merged"
    assert data["unit"] == "count" and data["data"] == {"value": 0, "previous": 0}
    # A type the metric cannot be shown as: kept, and its data says so.
    await ops(
        alice,
        board["id"],
        board["version"],
        {"op": "set", "target": "w1", "path": "type", "value": "heatmap"},
    )
    assert (await alice.get(f"{url}/widgets/w1/data")).json()["status"] == "unsupported"
    refused = await ops(
        alice,
        board["id"],
        board["version"] + 1,
        {"op": "set", "target": "w2", "path": "config.repositories", "value": [987654]},
        op_id="repos",
    )
    assert refused.status_code == 422  # a repository the team does not follow
    assert (await alice.get(f"{url}/widgets/nope/data")).status_code == 404
