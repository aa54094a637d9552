"""In-process Cache with tags."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from hubdeck.adapters.memory.keyvalue import Clock, ExpiringStore, check_ttl


@dataclass(frozen=True, slots=True)
class _Entry:
    value: bytes
    tags: frozenset[str]


class MemoryCache:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._entries: ExpiringStore[str, _Entry] = ExpiringStore(clock, self._unindex)
        self._keys_by_tag: dict[str, set[str]] = {}

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        return None if entry is None else entry.value

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str] = ()) -> None:
        check_ttl(ttl)
        entry = _Entry(value, frozenset(tags))
        # Store first: replacing an entry unindexes the old one's tags, which may be the same.
        self._entries.set(key, entry, ttl)
        for tag in entry.tags:
            self._keys_by_tag.setdefault(tag, set()).add(key)

    async def delete(self, key: str) -> None:
        self._entries.pop(key)

    async def invalidate_tag(self, tag: str) -> int:
        self._entries.purge()
        keys = self._keys_by_tag.pop(tag, set())
        return sum(self._entries.pop(key) is not None for key in keys)

    def _unindex(self, key: str, entry: _Entry) -> None:
        # Called for every entry that leaves (expired, deleted, replaced), so the tag index only
        # ever holds live keys and cannot grow without bound.
        for tag in entry.tags:
            keys = self._keys_by_tag.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._keys_by_tag[tag]
