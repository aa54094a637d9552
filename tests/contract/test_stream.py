"""ChannelStream contract: publish = append to history + deliver, in offset order, everywhere."""

from __future__ import annotations

import asyncio

from tests.contract.backends import Backend, eventually


async def test_publications_arrive_with_their_positions(backend: Backend) -> None:
    stream = backend.stream()
    received: list[tuple[str, int, str, bytes]] = []
    subscription = await stream.subscribe("news", lambda *p: received.append(p))
    first = await stream.publish("news", b'{"n":1}')
    second = await stream.publish("news", b'{"n":2}')
    await eventually(lambda: len(received) == 2)
    assert received == [
        ("news", first.offset, first.epoch, b'{"n":1}'),
        ("news", second.offset, second.epoch, b'{"n":2}'),
    ]
    assert (first.offset, second.offset) == (1, 2)
    # The same positions are in the history, for recovery.
    entries, top = await backend.history().since("news", 0)
    assert [(e.offset, e.data) for e in entries] == [(1, b'{"n":1}'), (2, b'{"n":2}')]
    assert top == second
    await subscription.close()


async def test_concurrent_publishers_deliver_in_offset_order(backend: Backend) -> None:
    # Two processes (with Redis, two connections) publish to one channel at once.
    streams = [backend.stream(), backend.stream(peer=True)]
    seen: dict[int, list[int]] = {0: [], 1: []}
    subs = [
        await streams[i].subscribe("ch", lambda c, o, e, d, i=i: seen[i].append(o)) for i in (0, 1)
    ]
    gate = asyncio.Semaphore(40)  # within the connection pool's size

    async def publish(n: int) -> None:
        async with gate:
            await streams[n % 2].publish("ch", str(n).encode())

    await asyncio.gather(*(publish(n) for n in range(200)))
    await eventually(lambda: len(seen[0]) == 200 and len(seen[1]) == 200)
    assert seen[0] == list(range(1, 201))
    assert seen[1] == list(range(1, 201))
    for subscription in subs:
        await subscription.close()


async def test_only_subscribed_channels_are_delivered(backend: Backend) -> None:
    stream = backend.stream()
    received: list[str] = []
    subscription = await stream.subscribe("a", lambda c, *_: received.append(c))
    await stream.publish("b", b"1")
    await stream.publish("a", b"2")
    await eventually(lambda: received == ["a"])
    await subscription.close()
    await stream.publish("a", b"3")
    await asyncio.sleep(0.05)
    assert received == ["a"]


async def test_a_lost_history_starts_a_new_epoch(backend: Backend) -> None:
    stream = backend.stream()
    before = await stream.publish("ch", b"x")
    await backend.lose_history()
    if backend.kind == "memory":
        # A new process has a new stream over its new history.
        backend._made.pop(("stream", False), None)
        stream = backend.stream()
    after = await stream.publish("ch", b"y")
    assert after.offset == 1
    assert after.epoch != before.epoch
