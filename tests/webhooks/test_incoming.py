"""Generic incoming webhooks: signed with the team's secret by the independent
``standardwebhooks`` implementation, refused when forged, stale or replayed, stored, listed and
pushed live on the team's channel."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client
from tests.webhooks.conftest import World

pytestmark = pytest.mark.stack


def signed(
    secret: str, payload: dict[str, Any], *, msg_id: str | None = None, at: datetime | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    at = at or datetime.now(UTC)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body.decode()),
        "content-type": "application/json",
    }
    return body, headers


async def setup(world: World) -> tuple[str, str]:
    alice = await world.http("alice")
    response = await alice.post(f"/api/teams/{world.team}/webhooks/incoming")
    assert response.status_code == 201
    data = response.json()
    assert data["secret"].startswith("whsec_")
    assert data["url"].endswith("/api/hooks/in/" + data["url"].rsplit("/", 1)[1])
    return data["url"].rsplit("/api", 1)[1], data["secret"]


async def post(world: World, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=world.server, timeout=10) as anonymous:
        return await anonymous.post("/api" + path, content=body, headers=headers)


async def test_annotations_and_metrics_arrive_live_and_are_listed(world: World) -> None:
    path, secret = await setup(world)
    token = world.runtime.authenticator.issue_connect_token(world.users["bob"])
    client = sdk_client(world.server, RecordingHandler(), token=token)
    await client.connect()
    live = RecordingSubscription()
    await client.new_subscription(f"team:{world.team}", events=live).subscribe()
    await live.wait_for(lambda: bool(live.subscribed))
    try:
        at = "2026-11-26T10:00:00Z"
        body, headers = signed(
            secret, {"type": "annotation", "text": "Deployed v2", "at": at, "tags": ["deploy"]}
        )
        accepted = await post(world, path, body, headers)
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["kind"] == "annotation"
        body, headers = signed(secret, {"type": "metric", "name": "error_rate", "value": 0.25})
        assert (await post(world, path, body, headers)).status_code == 202
        await live.wait_for(lambda: len(live.publications) >= 2)
        kinds = [data["type"] for _, data in live.publications]
        assert kinds == ["annotation.created", "custom_metric.recorded"]
    finally:
        await client.disconnect()

    bob = await world.http("bob")  # members read them (dashboards show them)
    annotations = (await bob.get(f"/api/teams/{world.team}/annotations")).json()
    assert [(a["text"], a["tags"]) for a in annotations] == [("Deployed v2", ["deploy"])]
    assert datetime.fromisoformat(annotations[0]["at"]) == datetime(2026, 11, 26, 10, tzinfo=UTC)
    points = (
        await bob.get(f"/api/teams/{world.team}/custom-metrics", params={"name": "error_rate"})
    ).json()
    assert [p["value"] for p in points] == [0.25]
    eve = await world.http("eve")
    assert (await eve.get(f"/api/teams/{world.team}/annotations")).status_code == 404


async def test_forged_stale_and_replayed_requests_are_refused(world: World) -> None:
    path, secret = await setup(world)
    payload = {"type": "metric", "name": "queue", "value": 3}
    body, headers = signed("whsec_" + "QUJD" * 8, payload)  # another secret
    forged = await post(world, path, body, headers)
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "unauthenticated"
    body, headers = signed(secret, payload, at=datetime.now(UTC) - timedelta(minutes=6))
    stale = await post(world, path, body, headers)
    assert stale.status_code == 401 and "too old" in stale.json()["error"]["message"]
    body, headers = signed(secret, payload, msg_id="msg_once")
    assert (await post(world, path, body, headers)).status_code == 202
    replayed = await post(world, path, body, headers)
    assert replayed.status_code == 409
    tampered = await post(world, path, body.replace(b"3", b"4"), {**headers, "webhook-id": "x"})
    assert tampered.status_code == 401
    unknown = await post(world, "/hooks/in/" + "A" * 32, body, headers)
    assert unknown.status_code == 404
    unsigned = await post(world, path, body, {"content-type": "application/json"})
    assert unsigned.status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "annotation", "text": "no time"},
        {"type": "annotation", "text": "naive", "at": "2026-11-26T10:00:00"},
        {"type": "annotation", "text": "", "at": "2026-11-26T10:00:00Z"},
        {"type": "metric", "name": "bad name!", "value": 1},
        {"type": "metric", "name": "x", "value": "high"},
        {"type": "metric", "name": "x", "value": 1, "extra": True},
        {"type": "dashboard", "name": "x"},
        [1, 2],
    ],
)
async def test_malformed_payloads_are_refused_with_a_json_error(world: World, payload: Any) -> None:
    path, secret = await setup(world)
    body, headers = signed(secret, payload)
    response = await post(world, path, body, headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_a_new_setup_replaces_the_url_and_secret_and_only_admins_may(world: World) -> None:
    old_path, old_secret = await setup(world)
    new_path, new_secret = await setup(world)
    assert new_path != old_path and new_secret != old_secret
    body, headers = signed(old_secret, {"type": "metric", "name": "x", "value": 1})
    assert (await post(world, old_path, body, headers)).status_code == 404
    alice = await world.http("alice")
    shown = (await alice.get(f"/api/teams/{world.team}/webhooks/incoming")).json()
    assert shown["url"].endswith(new_path) and "secret" not in shown
    bob = await world.http("bob")
    assert (await bob.post(f"/api/teams/{world.team}/webhooks/incoming")).status_code == 403
    assert (await alice.delete(f"/api/teams/{world.team}/webhooks/incoming")).status_code == 204
    assert (await alice.get(f"/api/teams/{world.team}/webhooks/incoming")).json() is None
