"""Signed webhook deliveries: headers, HMAC, retries, redelivery, recording."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass, field

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubdeck.simulator import Simulator

from .conftest import client_for, make_config

SECRET = "It's a Secret to Everybody"
HOOK_URL = "http://receiver.test/webhooks/github"


@dataclass
class Receiver:
    """An in-process webhook endpoint that answers with scripted status codes."""

    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            self.received.append((dict(request.headers), await request.body()))
            return Response(status_code=self.statuses.pop(0) if self.statuses else 202)

        return Starlette(routes=[Route("/webhooks/github", hook, methods=["POST"])])


def simulator(receiver: Receiver, **changes: object) -> Simulator:
    config = make_config(webhook_url=HOOK_URL, webhook_secret=SECRET, webhook_retry_delay=0.01)
    config = config.replace(**changes)
    return Simulator(config, webhook_transport=httpx.ASGITransport(receiver.app()))


async def drain(sim: Simulator) -> None:
    async with asyncio.timeout(5):
        await sim.sender.drain()


async def test_deliveries_are_signed_like_github() -> None:
    receiver = Receiver()
    async with simulator(receiver) as sim, client_for(sim) as client:
        outcome = (
            await client.post("/_simulator/activity/step", json={"action": "open_issue"})
        ).json()
        await drain(sim)
    (ping_headers, _), (headers, body) = receiver.received
    assert ping_headers["x-github-event"] == "ping"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-hub-signature-256"], expected)
    assert (
        headers["x-hub-signature"]
        == "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    )
    assert headers["x-github-event"] == "issues"
    assert headers["x-github-delivery"] == outcome["steps"][0]["events"][0]["delivery_id"]
    assert headers["x-github-hook-id"] == str(sim.config.webhook_hook_id)
    assert headers["user-agent"].startswith("GitHub-Hookshot/")
    assert headers["content-type"] == "application/json"
    payload = orjson.loads(body)
    assert (
        payload["action"] == "opened"
        and payload["issue"]["number"] == outcome["steps"][0]["number"]
    )
    assert payload["organization"]["login"] == "acme"


async def test_a_wrong_secret_does_not_verify() -> None:
    receiver = Receiver()
    async with simulator(receiver, send_ping_on_start=False) as sim:
        sim.mutations.ping()
        await drain(sim)
    headers, body = receiver.received[0]
    forged = "sha256=" + hmac.new(b"another secret", body, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(headers["x-hub-signature-256"], forged)


async def test_failures_are_retried_then_recorded() -> None:
    receiver = Receiver(statuses=[500, 503, 200])
    async with simulator(receiver, send_ping_on_start=False) as sim, client_for(sim) as client:
        sim.mutations.ping()
        await drain(sim)
        deliveries = (await client.get("/_simulator/deliveries?payload=0")).json()
    assert [a["status_code"] for a in deliveries[0]["attempts"]] == [500, 503, 200]
    assert deliveries[0]["status"] == "delivered"
    assert len({h["x-github-delivery"] for h, _ in receiver.received}) == 1


async def test_rejections_are_not_retried_and_exhaustion_fails() -> None:
    receiver = Receiver(statuses=[401, 500, 500, 500])
    async with simulator(receiver, send_ping_on_start=False) as sim:
        sim.mutations.ping()
        sim.mutations.ping()
        await drain(sim)
    rejected, exhausted = sim.sender.deliveries.values()
    assert [a.status_code for a in rejected.attempts] == [401] and rejected.status == "failed"
    assert [a.status_code for a in exhausted.attempts] == [
        500,
        500,
        500,
    ] and exhausted.status == "failed"


async def test_an_unreachable_receiver_is_retried() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    config = make_config(
        webhook_url=HOOK_URL,
        webhook_secret=SECRET,
        webhook_retry_delay=0.01,
        send_ping_on_start=False,
    )
    async with Simulator(config, webhook_transport=httpx.MockTransport(refuse)) as sim:
        sim.mutations.ping()
        await drain(sim)
    (delivery,) = sim.sender.deliveries.values()
    assert delivery.status == "failed" and len(delivery.attempts) == 3
    assert all(a.error and "ConnectError" in a.error for a in delivery.attempts)


async def test_redelivery_keeps_the_delivery_id() -> None:
    receiver = Receiver(statuses=[500, 500, 500])
    async with simulator(receiver, send_ping_on_start=False) as sim, client_for(sim) as client:
        step = (await client.post("/_simulator/activity/step", json={"action": "star"})).json()
        guid = step["steps"][0]["events"][0]["delivery_id"]
        await drain(sim)
        assert sim.sender.deliveries[guid].status == "failed"
        response = await client.post(f"/_simulator/deliveries/{guid}/redeliver")
        assert response.status_code == 202 and response.json()["id"] == guid
        await drain(sim)
        delivery = (await client.get(f"/_simulator/deliveries/{guid}")).json()
        assert (await client.post("/_simulator/deliveries/nope/redeliver")).status_code == 404
    assert delivery["status"] == "delivered"
    assert [a["redelivery"] for a in delivery["attempts"]] == [False, False, False, True]
    bodies = {body for _, body in receiver.received}
    assert len(bodies) == 1  # the same bytes, so the same signature
    assert {h["x-github-delivery"] for h, _ in receiver.received} == {guid}
    assert delivery["headers"]["X-GitHub-Delivery"] == guid


async def test_without_a_url_deliveries_are_only_recorded() -> None:
    receiver = Receiver()
    async with simulator(receiver, webhook_url=None) as sim, client_for(sim) as client:
        await client.post("/_simulator/activity/step", json={"action": "open_issue"})
        (delivery,) = (await client.get("/_simulator/deliveries?event=issues")).json()
        assert delivery["status"] == "not_sent" and delivery["payload"]["action"] == "opened"

        configured = await client.put(
            "/_simulator/webhook", json={"url": HOOK_URL, "secret": SECRET}
        )
        assert configured.json()["url"] == HOOK_URL
        assert (await client.post("/_simulator/webhook/ping")).status_code == 201
        await drain(sim)
        stats = (await client.get("/_simulator/stats")).json()
    assert [h["x-github-event"] for h, _ in receiver.received] == ["ping"]
    assert stats["webhooks"]["delivered"] == 1 and stats["webhooks"]["not_sent"] == 1
