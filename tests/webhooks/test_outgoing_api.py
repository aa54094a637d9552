"""Outgoing webhooks through the real app and a real receiver that verifies every delivery with
the independent ``standardwebhooks`` implementation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.core.events import DomainEvent
from tests.webhooks.conftest import World
from tests.webhooks.receiver import Delivery, Receiver, running_receiver

pytestmark = pytest.mark.stack


async def emit(world: World, type_: str, **data: object) -> DomainEvent:
    event = DomainEvent(
        type=type_,
        occurred_at=datetime.now(UTC),
        repository_id=world.repo,
        subject="acme/api#7",
        actor="carol",
        data={"repository": "acme/api", **data},
    )
    await world.runtime.bus.publish([event])
    return event


async def create(http: httpx.AsyncClient, world: World, url: str, **fields: Any) -> dict[str, Any]:
    response = await http.post(
        f"/api/teams/{world.team}/webhooks/endpoints", json={"url": url, **fields}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def attempts(http: httpx.AsyncClient, world: World, endpoint: int, **query: Any) -> list[Any]:
    response = await http.get(
        f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/attempts", params=query
    )
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def test_deliveries_are_signed_and_verify_with_an_independent_implementation(
    world: World, receiver: Receiver
) -> None:
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url + "/hooks", description="CI bot")
    assert created["secret"].startswith("whsec_")
    receiver.secrets.append(created["secret"])
    # The secret is shown once: never again in a listing or a read.
    listed = (await alice.get(f"/api/teams/{world.team}/webhooks/endpoints")).json()
    assert listed[0]["id"] == created["id"] and "secret" not in listed[0]

    event = await emit(world, "pull_request.merged", number=7, title="Add retries")
    await receiver.wait_for(lambda: len(receiver.deliveries) == 1)
    delivery = receiver.deliveries[0]
    assert delivery.verified
    assert delivery.path == "/hooks"
    assert delivery.headers["webhook-id"].startswith("msg_")
    assert delivery.payload["type"] == "pull_request.merged"
    assert delivery.payload["data"]["event_id"] == event.id
    assert delivery.payload["data"]["detail"]["number"] == 7
    assert datetime.fromisoformat(delivery.payload["timestamp"]) == event.occurred_at

    async def logged() -> list[Any]:
        return await attempts(alice, world, created["id"])

    for _ in range(100):
        if await logged():
            break
        await asyncio.sleep(0.05)
    [attempt] = await logged()
    assert attempt["succeeded"] and attempt["status_code"] == 200
    assert attempt["response_excerpt"] == "ok"
    assert attempt["msg_id"] == delivery.headers["webhook-id"]


async def test_only_admins_manage_endpoints_and_only_their_team(
    world: World, receiver: Receiver
) -> None:
    bob = await world.http("bob")  # a member
    refused = await bob.post(
        f"/api/teams/{world.team}/webhooks/endpoints", json={"url": receiver.url}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    carol = await world.http("carol")  # an admin
    created = await create(carol, world, receiver.url)
    eve = await world.http("eve")  # a stranger
    hidden = await eve.get(f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}")
    assert hidden.status_code == 404
    elsewhere = await eve.get(f"/api/teams/{world.other_team}/webhooks/endpoints/{created['id']}")
    assert elsewhere.status_code == 404


async def test_input_is_validated(world: World) -> None:
    alice = await world.http("alice")
    base = f"/api/teams/{world.team}/webhooks/endpoints"
    for body, code in (
        ({"url": "ftp://example.com/x"}, "invalid_input"),
        ({"url": "https://user:pw@example.com/x"}, "invalid_input"),
        ({"url": "http://127.0.0.1:1/x", "event_types": ["no.such"]}, "invalid_input"),
        ({"url": "http://127.0.0.1:1/x", "event_types": ["session.created"]}, "invalid_input"),
        ({"description": "no url"}, "invalid_input"),
    ):
        response = await alice.post(base, json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == code


async def test_event_type_filters_choose_what_an_endpoint_receives(
    world: World, receiver: Receiver
) -> None:
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url, event_types=["issue.opened"])
    receiver.secrets.append(created["secret"])
    await emit(world, "pull_request.opened", number=1)
    await emit(world, "issue.opened", number=2)
    # Never sent: events about one person do not leave HubDeck.
    await world.runtime.bus.publish(
        [
            DomainEvent(
                type="session.created",
                occurred_at=datetime.now(UTC),
                team_id=world.team,
                data={"user_id": world.users["alice"]},
            )
        ]
    )
    await receiver.wait_for(lambda: len(receiver.deliveries) >= 1)
    await asyncio.sleep(0.5)
    assert [d.payload["type"] for d in receiver.deliveries] == ["issue.opened"]
    assert all(d.verified for d in receiver.deliveries)


async def test_loopback_and_metadata_targets_are_refused_unless_allow_listed(
    world: World,
) -> None:
    alice = await world.http("alice")
    base = f"/api/teams/{world.team}/webhooks/endpoints"
    # 127.0.0.1 is allow-listed for these tests; other loopback forms and the metadata address
    # are not.
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2/x",
        "http://2130706434/x",  # 127.0.0.2 as one decimal number
        "http://0177.0.0.2/x",  # octal
        "http://[::ffff:169.254.169.254]/x",
        "http://[::1]/x",
        "http://10.0.0.1/x",
    ):
        response = await alice.post(base, json={"url": url})
        assert response.status_code == 422, url
        assert "may not receive webhooks" in response.json()["error"]["message"]


async def test_a_target_is_vetted_again_before_every_attempt(world: World) -> None:
    """An endpoint that got past registration (an allow-list since narrowed, a name that now
    resolves elsewhere) is refused at the attempt, without a connection."""
    engine = create_engine(world.runtime.settings.resolved_database_url)
    store = DbWebhookStore(engine)
    endpoint = await store.create_endpoint(
        team_id=world.team,
        url="http://169.254.169.254/latest/meta-data/",
        description="",
        event_types=[],
        enabled=True,
        secret_encrypted=FernetSecretBox(world.runtime.settings.resolved_secret_key()).encrypt(
            "whsec_" + "A" * 32
        ),
        created_by=None,
        at=datetime.now(UTC),
    )
    await engine.dispose()
    alice = await world.http("alice")
    sent = await alice.post(f"/api/teams/{world.team}/webhooks/endpoints/{endpoint.id}/test")
    assert sent.status_code == 202
    for _ in range(100):
        found = await attempts(alice, world, endpoint.id)
        if found:
            break
        await asyncio.sleep(0.05)
    assert found[0]["succeeded"] is False
    assert found[0]["status_code"] is None
    assert found[0]["error"].startswith("refused: ")
    assert "metadata" in found[0]["error"]


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    world: World, receiver: Receiver
) -> None:
    alice = await world.http("alice")
    receiver.redirect_to = receiver.url + "/landing"
    created = await create(alice, world, receiver.url + "/start")
    receiver.secrets.append(created["secret"])
    await alice.post(f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}/test")
    await receiver.wait_for(lambda: len(receiver.deliveries) >= 2)  # the first try and a retry
    assert {d.path for d in receiver.deliveries} == {"/start"}  # /landing never asked for
    found = await attempts(alice, world, created["id"], status="failed")
    assert found and found[-1]["status_code"] == 302
    assert found[-1]["error"] == f"redirect to {receiver.url}/landing not followed"
    # Nor to the metadata address: the attempt ends at the redirect.
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    before = len(receiver.deliveries)
    await alice.post(f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}/test")
    await receiver.wait_for(lambda: len(receiver.deliveries) > before)
    for _ in range(100):
        latest = (await attempts(alice, world, created["id"], status="failed"))[0]
        if "169.254" in (latest["error"] or ""):
            break
        await asyncio.sleep(0.05)
    assert latest["error"] == "redirect to http://169.254.169.254/latest/meta-data/ not followed"


async def test_retries_keep_the_webhook_id_and_the_log_filters(
    world: World, receiver: Receiver
) -> None:
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url)
    receiver.secrets.append(created["secret"])
    receiver.status = 503
    await emit(world, "issue.opened", number=5)
    await receiver.wait_for(lambda: len(receiver.deliveries) >= 3)
    receiver.status = 200
    await receiver.wait_for(lambda: any(d for d in receiver.deliveries[3:]))
    assert len(receiver.ids) == 1  # every retry carries the same webhook-id
    assert all(d.verified for d in receiver.deliveries)
    endpoint = created["id"]
    for _ in range(100):
        if await attempts(alice, world, endpoint, status="succeeded"):
            break
        await asyncio.sleep(0.05)
    failed = await attempts(alice, world, endpoint, status="failed")
    succeeded = await attempts(alice, world, endpoint, status="succeeded")
    assert len(succeeded) == 1 and len(failed) >= 3
    assert all(a["status_code"] == 503 and a["response_excerpt"] == "nope" for a in failed)
    assert await attempts(alice, world, endpoint, event_type="pull_request.merged") == []
    messages = (
        await alice.get(
            f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/messages",
            params={"status": "delivered"},
        )
    ).json()["items"]
    assert [m["event_type"] for m in messages] == ["issue.opened"]
    # A manual redelivery: the same message, the same webhook-id, once more.
    before = len(receiver.deliveries)
    redone = await alice.post(
        f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/messages/{messages[0]['id']}/redeliver"
    )
    assert redone.status_code == 202
    await receiver.wait_for(lambda: len(receiver.deliveries) > before)
    assert receiver.deliveries[-1].headers["webhook-id"] == messages[0]["msg_id"]
    missing = await alice.post(
        f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/messages/999999/redeliver"
    )
    assert missing.status_code == 404


async def test_rotation_signs_with_both_secrets_during_the_overlap(
    world: World, receiver: Receiver, capfd: pytest.CaptureFixture[str]
) -> None:
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url)
    endpoint = created["id"]
    rotated = await alice.post(
        f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/rotate-secret",
        json={"overlap_hours": 1},
    )
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != created["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    await alice.post(f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/test")
    await receiver.wait_for(lambda: len(receiver.deliveries) == 1)
    delivery = receiver.deliveries[0]
    assert len(delivery.headers["webhook-signature"].split(" ")) == 2
    for secret in (created["secret"], new_secret):  # a receiver on either secret accepts it
        receiver.secrets[:] = [secret]
        assert receiver.verify(delivery.body, delivery.headers)[0]
    assert delivery.payload is None or delivery.payload["type"] == "webhook.test"
    # Without an overlap the old secret stops signing at once.
    again = await alice.post(
        f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/rotate-secret",
        json={"overlap_hours": 0},
    )
    await alice.post(f"/api/teams/{world.team}/webhooks/endpoints/{endpoint}/test")
    await receiver.wait_for(lambda: len(receiver.deliveries) == 2)
    latest = receiver.deliveries[1]
    assert len(latest.headers["webhook-signature"].split(" ")) == 1
    receiver.secrets[:] = [new_secret]
    assert not receiver.verify(latest.body, latest.headers)[0]
    receiver.secrets[:] = [again.json()["secret"]]
    assert receiver.verify(latest.body, latest.headers)[0]
    # No secret, nor its key, in anything the server logged.
    logged = "".join(capfd.readouterr())
    assert "webhooks.attempt" in logged
    for secret in (created["secret"], new_secret, again.json()["secret"]):
        assert secret not in logged and secret.removeprefix("whsec_") not in logged


async def test_410_gone_disables_the_endpoint_at_once(world: World, receiver: Receiver) -> None:
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url)
    receiver.status = 410
    await emit(world, "issue.opened", number=1)
    await receiver.wait_for(lambda: len(receiver.deliveries) == 1)
    endpoint_url = f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}"
    for _ in range(100):
        endpoint = (await alice.get(endpoint_url)).json()
        if not endpoint["enabled"]:
            break
        await asyncio.sleep(0.05)
    assert endpoint["enabled"] is False
    assert "410" in endpoint["disabled_reason"]
    await asyncio.sleep(0.3)
    assert len(receiver.deliveries) == 1  # no retry after 410


async def test_always_500_is_disabled_after_the_schedule_and_admins_are_notified(
    world: World, receiver: Receiver
) -> None:
    """The whole schedule, with the clock compressed 10,000 times: every attempt fails, the
    endpoint is disabled at the last one, owners and admins (not members) are notified, and
    events kept while disabled are replayed once it is enabled again."""
    alice = await world.http("alice")
    created = await create(alice, world, receiver.url)
    receiver.secrets.append(created["secret"])
    receiver.status = 500
    await emit(world, "issue.opened", number=1)
    endpoint_url = f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}"

    async def disabled() -> dict[str, Any]:
        async with asyncio.timeout(40):
            while True:
                endpoint: dict[str, Any] = (await alice.get(endpoint_url)).json()
                if not endpoint["enabled"]:
                    return endpoint
                await asyncio.sleep(0.2)

    endpoint = await disabled()
    assert "No delivery succeeded since" in endpoint["disabled_reason"]
    assert len(receiver.deliveries) == 8  # the first try and the seven retries of the schedule
    assert len(receiver.ids) == 1
    assert all(d.verified for d in receiver.deliveries)

    async def kinds(login: str) -> list[str]:
        client = await world.http(login)
        page = (await client.get("/api/notifications")).json()
        return [n["kind"] for n in page["items"]]

    for _ in range(100):
        if "webhook_disabled" in await kinds("alice"):
            break
        await asyncio.sleep(0.05)
    assert "webhook_disabled" in await kinds("alice")  # the owner
    assert "webhook_disabled" in await kinds("carol")  # an admin
    assert "webhook_disabled" not in await kinds("bob")  # a member

    # Events while disabled are kept, not sent; enabling replays them.
    await emit(world, "issue.opened", number=2)
    await emit(world, "issue.closed", number=2)
    await asyncio.sleep(0.5)
    assert len(receiver.deliveries) == 8
    receiver.status = 200
    enabled = await alice.patch(endpoint_url, json={"enabled": True})
    assert enabled.json()["enabled"] is True and enabled.json()["disabled_reason"] is None
    await receiver.wait_for(
        lambda: (
            {"issue.closed", "webhook_endpoint.disabled"}
            <= {d.payload["type"] for d in receiver.deliveries if d.payload}
        )
    )
    kinds_received = [d.payload["type"] for d in receiver.deliveries[8:]]
    assert kinds_received.count("issue.opened") == 1  # number 2 (number 1 ran out of tries)
    assert all(d.verified for d in receiver.deliveries)


async def test_delete_and_catalogue(world: World, receiver: Receiver) -> None:
    alice = await world.http("alice")
    catalogue = (await alice.get("/api/webhooks/catalogue")).json()
    types = {t["type"] for t in catalogue["event_types"]}
    assert {"pull_request.merged", "webhook.test", "annotation.created"} <= types
    assert "session.created" not in types
    assert len(catalogue["schedule"]["attempts"]) == 8
    created = await create(alice, world, receiver.url)
    url = f"/api/teams/{world.team}/webhooks/endpoints/{created['id']}"
    assert (await alice.delete(url)).status_code == 204
    assert (await alice.get(url)).status_code == 404


async def test_a_second_receiver_gets_its_own_messages(world: World, receiver: Receiver) -> None:
    alice = await world.http("alice")
    first = await create(alice, world, receiver.url)
    receiver.secrets.append(first["secret"])
    async with running_receiver() as other:
        second = await create(alice, world, other.url)
        other.secrets.append(second["secret"])
        await emit(world, "release.published", tag="v1")

        def releases(at: Receiver) -> list[Delivery]:
            # The release also marks the charts: an annotation.created follows it.
            return [d for d in at.deliveries if d.payload["type"] == "release.published"]

        await receiver.wait_for(lambda: len(releases(receiver)) == 1)
        await other.wait_for(lambda: len(releases(other)) == 1)
        assert releases(receiver)[0].verified and releases(other)[0].verified
        assert receiver.ids.isdisjoint(other.ids)
