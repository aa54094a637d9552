"""Annotations: a release published on (simulated) GitHub marks the following team's charts,
live; members mark moments by hand; viewers may not."""

from __future__ import annotations

import httpx
import pytest

from tests.web.dashboards.test_live_widgets import Live, live
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client
from tests.web.test_github_flow import sign_in

pytestmark = pytest.mark.stack

__all__ = ["live"]  # the fixture, used by name


async def test_a_release_on_github_becomes_an_annotation_of_the_team_live(live: Live) -> None:
    me = (await live.alice.get("/api/me")).json()["user"]["id"]
    client = sdk_client(
        live.url, RecordingHandler(), token=live.runtime.authenticator.issue_connect_token(me)
    )
    await client.connect()
    events = RecordingSubscription()
    subscription = client.new_subscription(f"team:{live.team}", events=events)
    await subscription.subscribe()
    await events.wait_for(lambda: bool(events.subscribed))

    async with httpx.AsyncClient(base_url=live.github) as gh:
        stepped = await gh.post("/_simulator/activity/step", json={"action": "publish_release"})
        (step,) = stepped.json()["steps"]
        assert step["performed"], step
        await gh.post("/_simulator/deliveries/flush")
    await live.runtime.github_webhooks.drain()

    annotations = (await live.alice.get(f"/api/teams/{live.team}/annotations")).json()
    releases = [a for a in annotations if "release" in a["tags"]]
    assert len(releases) == 1, annotations
    assert releases[0]["text"].startswith(f"{step['repository']} released ")
    assert step["repository"] in releases[0]["tags"]

    def announced() -> bool:
        return any(data["type"] == "annotation.created" for _, data in events.publications)

    await events.wait_for(announced)
    await client.disconnect()


async def test_members_mark_moments_by_hand_and_viewers_may_not(live: Live) -> None:
    created = await live.alice.post(
        f"/api/teams/{live.team}/annotations",
        json={"text": "Incident: API down", "at": "2026-11-20T10:00:00Z", "tags": ["incident"]},
    )
    assert created.status_code == 201, created.text
    assert created.json()["at"].startswith("2026-11-20T10:00:00")
    listed = await live.alice.get(
        f"/api/teams/{live.team}/annotations",
        params={"since": "2026-11-20T00:00:00Z", "until": "2026-11-21T00:00:00Z"},
    )
    assert [a["text"] for a in listed.json()] == ["Incident: API down"]

    bad = await live.alice.post(f"/api/teams/{live.team}/annotations", json={"text": ""})
    assert bad.status_code == 422
    invitation = await live.alice.post(
        f"/api/teams/{live.team}/invitations", json={"role": "viewer"}
    )
    erin = await sign_in(live.url, "erin")
    await erin.post(f"/api/invitations/{invitation.json()['token']}/accept")
    refused = await erin.post(f"/api/teams/{live.team}/annotations", json={"text": "deploy"})
    assert refused.status_code == 403
    await erin.aclose()
