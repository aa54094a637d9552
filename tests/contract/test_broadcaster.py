"""Broadcaster contract, plus the Redis connection being killed under a subscriber."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.redis import RedisBroadcaster
from tests.contract.backends import Backend, eventually

Received = list[tuple[str, bytes]]


async def test_delivers_in_publish_order(backend: Backend) -> None:
    subscriber, publisher = backend.broadcaster(), backend.broadcaster(peer=True)
    received: Received = []
    await subscriber.subscribe("t", lambda topic, payload: received.append((topic, payload)))
    # Published from another connection right after subscribe() returned: must arrive.
    for i in range(100):
        await publisher.publish("t", b"%d" % i)
    await eventually(lambda: len(received) == 100)
    assert received == [("t", b"%d" % i) for i in range(100)]


async def test_topics_are_separate(backend: Backend) -> None:
    broadcaster = backend.broadcaster()
    a: list[bytes] = []
    b: list[bytes] = []
    await broadcaster.subscribe("a", lambda _, payload: a.append(payload))
    await broadcaster.subscribe("b", lambda _, payload: b.append(payload))
    await broadcaster.publish("a", b"1")
    await broadcaster.publish("b", b"2")
    await broadcaster.publish("nobody-listens", b"3")
    await eventually(lambda: a == [b"1"] and b == [b"2"])


async def test_several_subscribers_and_unsubscribing(backend: Backend) -> None:
    broadcaster = backend.broadcaster()
    first: list[bytes] = []
    second: list[bytes] = []
    marker: list[bytes] = []
    sub_first = await broadcaster.subscribe("t", lambda _, p: first.append(p))
    sub_second = await broadcaster.subscribe("t", lambda _, p: second.append(p))
    await broadcaster.subscribe("marker", lambda _, p: marker.append(p))

    await broadcaster.publish("t", b"both")
    await eventually(lambda: first == [b"both"] and second == [b"both"])

    await sub_first.close()
    await sub_first.close()  # closing twice is harmless
    await broadcaster.publish("t", b"second only")
    await eventually(lambda: second == [b"both", b"second only"])

    await sub_second.close()
    await broadcaster.publish("t", b"nobody")
    # Messages from one publisher arrive in order, so once the marker is in, "nobody" would be.
    await broadcaster.publish("marker", b"m")
    await eventually(lambda: marker == [b"m"])
    assert first == [b"both"]
    assert second == [b"both", b"second only"]

    again: list[bytes] = []
    await broadcaster.subscribe("t", lambda _, p: again.append(p))
    await broadcaster.publish("t", b"back")
    await eventually(lambda: again == [b"back"])


async def test_failing_handler_does_not_stop_delivery(backend: Backend) -> None:
    broadcaster = backend.broadcaster()
    received: list[bytes] = []

    def broken(topic: str, payload: bytes) -> None:
        raise RuntimeError("handler bug")

    await broadcaster.subscribe("t", broken)
    await broadcaster.subscribe("t", lambda _, p: received.append(p))
    await broadcaster.publish("t", b"1")
    await broadcaster.publish("t", b"2")
    await eventually(lambda: received == [b"1", b"2"])


async def test_handler_that_publishes_keeps_order(backend: Backend) -> None:
    broadcaster = backend.broadcaster()
    seen: dict[str, list[bytes]] = {"first": [], "second": []}
    tasks: list[asyncio.Task[None]] = []

    def first(topic: str, payload: bytes) -> None:
        seen["first"].append(payload)
        if payload == b"1":
            tasks.append(asyncio.get_running_loop().create_task(broadcaster.publish("t", b"2")))

    await broadcaster.subscribe("t", first)
    await broadcaster.subscribe("t", lambda _, p: seen["second"].append(p))
    await broadcaster.publish("t", b"1")
    await eventually(lambda: seen["second"] == [b"1", b"2"])
    assert seen["first"] == [b"1", b"2"]


async def test_close_stops_delivery(backend: Backend) -> None:
    broadcaster, publisher = backend.broadcaster(), backend.broadcaster(peer=True)
    received: list[bytes] = []
    subscription = await broadcaster.subscribe("t", lambda _, p: received.append(p))
    await broadcaster.close()
    await subscription.close()  # after the broadcaster: harmless
    await publisher.publish("t", b"late")
    await asyncio.sleep(0.05)
    assert received == []


async def _pubsub_ids(admin: aioredis.Redis, name: str) -> list[str]:
    clients = await admin.client_list(_type="pubsub")
    return [c["id"] for c in clients if c.get("name") == name and c.get("sub") != "0"]


async def test_redis_subscriber_survives_its_connection_being_killed(
    redis_url: str, redis_prefix: str
) -> None:
    # A client with a name of its own finds our pub/sub connection among those of other runs.
    name = redis_prefix.replace(":", "-") + "sub"
    client = aioredis.Redis.from_url(redis_url, client_name=name)
    admin = aioredis.Redis.from_url(redis_url)
    broadcaster = RedisBroadcaster(client, redis_prefix, backoff_initial=0.01)
    publisher = RedisBroadcaster(admin, redis_prefix)
    received: list[bytes] = []
    try:
        await broadcaster.subscribe("t", lambda _, p: received.append(p))
        await broadcaster.subscribe("u", lambda _, p: received.append(p))
        await publisher.publish("t", b"before")
        await eventually(lambda: received == [b"before"])

        (killed,) = await _pubsub_ids(admin, name)
        await admin.client_kill_filter(_id=killed)

        # Re-subscribed: a new pub/sub connection listens to both channels again.
        channels = [f"{redis_prefix}bc:{topic}" for topic in ("t", "u")]
        for _ in range(300):
            ids = await _pubsub_ids(admin, name)
            numsub = dict(await admin.pubsub_numsub(*channels))
            if ids and killed not in ids and all(n == 1 for n in numsub.values()):
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the broadcaster did not re-subscribe")
        await publisher.publish("t", b"after")
        await publisher.publish("u", b"after-u")
        await eventually(lambda: received == [b"before", b"after", b"after-u"])
    finally:
        await broadcaster.close()
        await client.aclose()
        await admin.aclose()


async def test_subscribe_while_redis_is_unreachable_times_out() -> None:
    # Nothing listens on port 1: subscribe() gives up instead of hanging, and close() is clean.
    client = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    broadcaster = RedisBroadcaster(client, "unused:", backoff_initial=0.01, subscribe_timeout=0.2)
    try:
        with pytest.raises(TimeoutError):
            await broadcaster.subscribe("t", lambda _, p: None)
    finally:
        await broadcaster.close()
        await client.aclose()
