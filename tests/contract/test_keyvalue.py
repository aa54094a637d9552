"""KeyValue contract."""

from __future__ import annotations

import asyncio

from tests.contract.backends import Backend


async def test_set_get_overwrite_delete(backend: Backend) -> None:
    kv = backend.kv()
    assert await kv.get("k") is None
    await kv.set("k", b"one")
    assert await kv.get("k") == b"one"
    await kv.set("k", b"two")
    assert await kv.get("k") == b"two"
    assert await kv.delete("k") is True
    assert await kv.delete("k") is False
    assert await kv.get("k") is None


async def test_set_with_ttl_expires(backend: Backend) -> None:
    kv = backend.kv()
    await kv.set("short", b"v", ttl=0.3)
    await kv.set("forever", b"v")
    await kv.set("cleared", b"v", ttl=0.3)
    await kv.set("cleared", b"w")  # a set without ttl removes the expiry
    remaining = await kv.ttl("short")
    assert remaining is not None
    assert 0 < remaining <= 0.3
    assert await kv.ttl("forever") is None
    assert await kv.ttl("missing") is None
    assert await kv.get("short") == b"v"
    await asyncio.sleep(0.35)
    assert await kv.get("short") is None
    assert await kv.ttl("short") is None
    assert await kv.get("forever") == b"v"
    assert await kv.get("cleared") == b"w"


async def test_set_if_absent(backend: Backend) -> None:
    kv = backend.kv()
    assert await kv.set_if_absent("k", b"first", ttl=0.3) is True
    assert await kv.set_if_absent("k", b"second") is False
    assert await kv.get("k") == b"first"
    await asyncio.sleep(0.35)
    assert await kv.set_if_absent("k", b"third") is True
    assert await kv.get("k") == b"third"


async def test_set_if_absent_race_has_one_winner(backend: Backend) -> None:
    kvs = [backend.kv(), backend.kv(peer=True)]
    results = await asyncio.gather(
        *(kvs[i % 2].set_if_absent("race", str(i).encode()) for i in range(50))
    )
    winners = [i for i, won in enumerate(results) if won]
    assert len(winners) == 1
    assert await backend.kv().get("race") == str(winners[0]).encode()


async def test_incr(backend: Backend) -> None:
    kv = backend.kv()
    assert await kv.incr("n") == 1
    assert await kv.incr("n", 5) == 6
    assert await kv.incr("n", -10) == -4
    assert await kv.get("n") == b"-4"
    assert await kv.ttl("n") is None


async def test_incr_concurrent(backend: Backend) -> None:
    kvs = [backend.kv(), backend.kv(peer=True)]
    values = await asyncio.gather(*(kvs[i % 2].incr("hits") for i in range(200)))
    assert sorted(values) == list(range(1, 201))
    assert await backend.kv().get("hits") == b"200"


async def test_incr_ttl_applies_only_on_create(backend: Backend) -> None:
    kv = backend.kv()
    assert await kv.incr("window", ttl=0.3) == 1
    assert await kv.incr("window", ttl=10) == 2  # does not extend the window
    remaining = await kv.ttl("window")
    assert remaining is not None
    assert remaining <= 0.3
    await kv.set("plain", b"5")
    assert await kv.incr("plain", ttl=0.3) == 6  # existed: stays without expiry
    assert await kv.ttl("plain") is None
    await asyncio.sleep(0.35)
    assert await kv.get("window") is None
    assert await kv.incr("window", ttl=0.3) == 1
