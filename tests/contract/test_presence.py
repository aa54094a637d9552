"""Presence contract."""

from __future__ import annotations

import asyncio

from hubdeck.ports import PresenceInfo
from tests.contract.backends import Backend


async def test_members_and_stats(backend: Backend) -> None:
    presence, peer = backend.presence(), backend.presence(peer=True)
    alice_tab = PresenceInfo("c1", "alice", b'{"tab":1}')
    await presence.add("room", alice_tab, ttl=30)
    await peer.add("room", PresenceInfo("c2", "alice"), ttl=30)
    await peer.add("room", PresenceInfo("c3", "bob", b""), ttl=30)
    await presence.add("elsewhere", PresenceInfo("c4", "carol"), ttl=30)
    members = await presence.members("room")
    assert members == {
        "c1": alice_tab,
        "c2": PresenceInfo("c2", "alice", None),
        "c3": PresenceInfo("c3", "bob", b""),
    }
    assert await peer.stats("room") == (3, 2)
    assert await presence.stats("empty") == (0, 0)
    assert await presence.members("empty") == {}


async def test_add_refreshes_info(backend: Backend) -> None:
    presence = backend.presence()
    await presence.add("room", PresenceInfo("c1", "alice", b"v1"), ttl=30)
    await presence.add("room", PresenceInfo("c1", "alice", b"v2"), ttl=30)
    assert await presence.members("room") == {"c1": PresenceInfo("c1", "alice", b"v2")}


async def test_remove(backend: Backend) -> None:
    presence = backend.presence()
    await presence.add("room", PresenceInfo("c1", "alice"), ttl=30)
    await presence.add("room", PresenceInfo("c2", "bob"), ttl=30)
    await presence.remove("room", "c1")
    await presence.remove("room", "unknown")
    assert set(await presence.members("room")) == {"c2"}
    assert await presence.stats("room") == (1, 1)


async def test_expiry(backend: Backend) -> None:
    presence = backend.presence()
    await presence.add("room", PresenceInfo("gone", "alice"), ttl=0.3)
    await presence.add("room", PresenceInfo("refreshed", "bob"), ttl=0.3)
    await presence.add("room", PresenceInfo("stays", "carol"), ttl=30)
    assert await presence.stats("room") == (3, 3)
    await asyncio.sleep(0.15)
    await presence.add("room", PresenceInfo("refreshed", "bob"), ttl=0.3)  # now until 0.45 s
    await asyncio.sleep(0.2)
    assert set(await presence.members("room")) == {"refreshed", "stays"}
    await asyncio.sleep(0.15)
    assert set(await presence.members("room")) == {"stays"}
    assert await presence.stats("room") == (1, 1)
