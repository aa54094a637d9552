"""Sharing is an event: the person shared with is notified, the team's audit log records it,
and withdrawing a grant ends that person's subscription at once."""

from __future__ import annotations

import pytest

from hubdeck.web.realtime.broker import UNSUBSCRIBED_BY_SERVER
from tests.web.dashboards.world import World, new_dashboard, subscribe

pytestmark = pytest.mark.stack


async def test_a_share_notifies_is_audited_and_its_withdrawal_ends_the_subscription(
    world: World,
) -> None:
    alice, carol = await world.http("alice"), await world.http("carol")
    board = await new_dashboard(alice, world.team, "Incidents", widgets=1)
    shared = await alice.put(
        f"/api/dashboards/{board['id']}/grants", json={"login": "carol", "role": "viewer"}
    )
    assert shared.status_code == 200, shared.text

    notifications = (await carol.get("/api/notifications")).json()["items"]
    assert [n["kind"] for n in notifications] == ["dashboard_shared"]
    assert "Incidents" in notifications[0]["title"]
    audit = (await alice.get(f"/api/teams/{world.team}/audit")).json()["items"]
    assert [(e["type"], e["subject"], e["actor"]) for e in audit] == [
        ("dashboard.shared", "Incidents", "alice")
    ]
    assert audit[0]["data"]["user_id"] == world.users["carol"]

    socket = await world.socket("carol")
    events = await subscribe(socket, f"dashboard:{board['id']}")
    assert events.subscribed
    withdrawn = await alice.delete(
        f"/api/dashboards/{board['id']}/grants", params={"user_id": world.users["carol"]}
    )
    assert withdrawn.status_code == 204
    await events.wait_for(lambda: bool(events.unsubscribed))
    assert events.unsubscribed[0].code == UNSUBSCRIBED_BY_SERVER
    assert (await carol.get(f"/api/dashboards/{board['id']}")).status_code == 404
    audit = (await alice.get(f"/api/teams/{world.team}/audit")).json()["items"]
    assert audit[0]["type"] == "dashboard.unshared"
