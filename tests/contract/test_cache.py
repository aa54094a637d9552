"""Cache contract."""

from __future__ import annotations

import asyncio

from tests.contract.backends import Backend


async def test_set_get_delete_and_expiry(backend: Backend) -> None:
    cache = backend.cache()
    assert await cache.get("k") is None
    await cache.set("k", b"v", ttl=0.3)
    await cache.set("long", b"w", ttl=30)
    assert await cache.get("k") == b"v"
    await asyncio.sleep(0.35)
    assert await cache.get("k") is None
    assert await cache.get("long") == b"w"
    await cache.delete("long")
    assert await cache.get("long") is None
    await cache.delete("missing")


async def test_invalidate_tag(backend: Backend) -> None:
    cache, peer = backend.cache(), backend.cache(peer=True)
    await cache.set("a", b"1", ttl=30, tags=["repo:1"])
    await cache.set("b", b"2", ttl=30, tags=["repo:1", "user:7"])
    await cache.set("c", b"3", ttl=30, tags=["user:7"])
    await cache.set("d", b"4", ttl=30)
    assert await peer.invalidate_tag("repo:1") == 2
    assert await cache.get("a") is None
    assert await cache.get("b") is None
    assert await cache.get("c") == b"3"
    assert await cache.get("d") == b"4"
    assert await cache.invalidate_tag("repo:1") == 0
    assert await cache.invalidate_tag("user:7") == 1
    assert await cache.get("c") is None
    assert await cache.invalidate_tag("never-used") == 0


async def test_invalidate_counts_live_entries_only(backend: Backend) -> None:
    cache = backend.cache()
    await cache.set("short", b"1", ttl=0.3, tags=["t"])
    await cache.set("long", b"2", ttl=30, tags=["t"])
    await cache.set("deleted", b"3", ttl=30, tags=["t"])
    await cache.delete("deleted")
    await asyncio.sleep(0.35)
    assert await cache.invalidate_tag("t") == 1
    assert await cache.get("long") is None


async def test_reset_entry_keeps_only_its_new_tags(backend: Backend) -> None:
    cache = backend.cache()
    await cache.set("k", b"old", ttl=30, tags=["x"])
    await cache.set("k", b"new", ttl=30, tags=["y"])
    assert await cache.invalidate_tag("x") == 0
    assert await cache.get("k") == b"new"
    assert await cache.invalidate_tag("y") == 1
    assert await cache.get("k") is None
