"""Builds the adapters of one backend for one contract test.

``peer=True`` asks for the view of a second process sharing the state: with Redis, an adapter on
a connection of its own; with memory (state lives in one process) the same adapter.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.memory import (
    MemoryBroadcaster,
    MemoryCache,
    MemoryChannelHistory,
    MemoryKeyValue,
    MemoryLocks,
    MemoryPresence,
)
from hubdeck.adapters.memory.pool import MemoryRatePool
from hubdeck.adapters.memory.stream import MemoryChannelStream
from hubdeck.adapters.redis import (
    RedisBroadcaster,
    RedisCache,
    RedisChannelHistory,
    RedisKeyValue,
    RedisLocks,
    RedisPresence,
)
from hubdeck.adapters.redis.pool import RedisRatePool
from hubdeck.adapters.redis.stream import RedisChannelStream
from hubdeck.ports import (
    Cache,
    ChannelHistory,
    ChannelStream,
    KeyValue,
    Locks,
    Presence,
    RatePool,
)
from tests.contract.broken import BROKEN

Broadcaster = MemoryBroadcaster | RedisBroadcaster  # the port plus start()/close()


def redis_classes() -> dict[str, type[Any]]:
    """The Redis adapter classes, with the broken ones HUBDECK_CONTRACT_BROKEN names."""
    classes: dict[str, type[Any]] = {
        "cache": RedisCache,
        "kv": RedisKeyValue,
        "locks": RedisLocks,
        "history": RedisChannelHistory,
        "presence": RedisPresence,
        "broadcaster": RedisBroadcaster,
        "pool": RedisRatePool,
    }
    names = [n.strip() for n in os.environ.get("HUBDECK_CONTRACT_BROKEN", "").split(",")]
    for name in filter(None, names):
        if name not in BROKEN:
            raise pytest.UsageError(f"HUBDECK_CONTRACT_BROKEN: unknown {name!r}, see broken.py")
        port, cls = BROKEN[name]
        # Several bugs in one port combine: each broken class overrides different methods.
        base = classes[port]
        combined = base.__module__.startswith("tests.")
        classes[port] = type(name, (cls, base), {}) if combined else cls
    return classes


class Backend:
    kind: str

    def __init__(self) -> None:
        self._made: dict[tuple[str, bool], Any] = {}
        self._history_options: dict[str, Any] = {}

    def _build(self, port: str, peer: bool, **options: Any) -> Any:
        raise NotImplementedError

    def _get(self, port: str, peer: bool, **options: Any) -> Any:
        if (port, peer) not in self._made:
            self._made[port, peer] = self._build(port, peer, **options)
        return self._made[port, peer]

    def cache(self, peer: bool = False) -> Cache:
        return self._get("cache", peer)  # type: ignore[no-any-return]

    def kv(self, peer: bool = False) -> KeyValue:
        return self._get("kv", peer)  # type: ignore[no-any-return]

    def locks(self, peer: bool = False) -> Locks:
        return self._get("locks", peer)  # type: ignore[no-any-return]

    def presence(self, peer: bool = False) -> Presence:
        return self._get("presence", peer)  # type: ignore[no-any-return]

    def broadcaster(self, peer: bool = False) -> Broadcaster:
        return self._get("broadcaster", peer)  # type: ignore[no-any-return]

    def pool(self, peer: bool = False) -> RatePool:
        return self._get("pool", peer)  # type: ignore[no-any-return]

    def history(self, peer: bool = False, **options: Any) -> ChannelHistory:
        """The first call fixes the options (max_size, max_age, meta_ttl) for the test."""
        if options:
            assert not self._history_options or options == self._history_options
            self._history_options = options
        return self._get("history", peer, **self._history_options)  # type: ignore[no-any-return]

    def stream(self, peer: bool = False) -> ChannelStream:
        """A channel stream over this test's history (same options)."""
        if ("stream", peer) not in self._made:
            self._made["stream", peer] = self._stream(peer)
        return self._made["stream", peer]  # type: ignore[no-any-return]

    def _stream(self, peer: bool) -> ChannelStream:
        raise NotImplementedError

    async def lose_history(self) -> ChannelHistory:
        """Simulate losing all history (restart); returns the history adapter to use next."""
        raise NotImplementedError

    async def aclose(self) -> None:
        for (port, _), adapter in self._made.items():
            if port == "broadcaster":
                await adapter.close()


class MemoryBackend(Backend):
    kind = "memory"
    _classes: ClassVar[dict[str, Callable[..., Any]]] = {
        "cache": MemoryCache,
        "kv": MemoryKeyValue,
        "locks": MemoryLocks,
        "history": MemoryChannelHistory,
        "presence": MemoryPresence,
        "broadcaster": MemoryBroadcaster,
        "pool": MemoryRatePool,
    }

    def _build(self, port: str, peer: bool, **options: Any) -> Any:
        if peer:
            return self._get(port, False, **options)
        return self._classes[port](**options)

    def stream(self, peer: bool = False) -> ChannelStream:
        return super().stream(False)  # one process: the peer is the same stream

    def _stream(self, peer: bool) -> ChannelStream:
        history = self.history()
        assert isinstance(history, MemoryChannelHistory)
        return MemoryChannelStream(history)

    async def lose_history(self) -> ChannelHistory:
        # A new process: a new instance.
        self._made.pop(("history", True), None)
        self._made["history", False] = MemoryChannelHistory(**self._history_options)
        return self.history()


class RedisBackend(Backend):
    kind = "redis"

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self.client = aioredis.Redis.from_url(url)
        self._peer_client: aioredis.Redis | None = None
        self._classes = redis_classes()

    def peer_client(self) -> aioredis.Redis:
        if self._peer_client is None:
            self._peer_client = aioredis.Redis.from_url(self.url)
        return self._peer_client

    def _build(self, port: str, peer: bool, **options: Any) -> Any:
        client = self.peer_client() if peer else self.client
        return self._classes[port](client, self.prefix, **options)

    def _stream(self, peer: bool) -> ChannelStream:
        options = {"max_size": 1000, "max_age": 300.0, "meta_ttl": 86400.0}
        options.update(self._history_options)
        client = self.peer_client() if peer else self.client
        return RedisChannelStream(client, self.prefix, self.broadcaster(peer), **options)

    async def lose_history(self) -> ChannelHistory:
        # What FLUSHALL, or a restart without persistence, does to the history keys.
        keys = [key async for key in self.client.scan_iter(match=self.prefix + "hist:*")]
        if keys:
            await self.client.delete(*keys)
        self._made.pop(("history", True), None)
        self._made.pop(("history", False), None)
        return self.history()

    async def aclose(self) -> None:
        await super().aclose()
        await self.client.aclose()
        if self._peer_client is not None:
            await self._peer_client.aclose()


async def eventually(check: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until ``check()`` holds (deliveries through Redis take a moment)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(0.005)
