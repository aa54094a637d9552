"""In-process Presence."""

from __future__ import annotations

import time

from hubdeck.adapters.memory.keyvalue import Clock, ExpiringStore, check_ttl
from hubdeck.ports import PresenceInfo


class MemoryPresence:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._entries: ExpiringStore[tuple[str, str], PresenceInfo] = ExpiringStore(
            clock, self._unindex
        )
        # Live clients by channel; kept in step with ``_entries`` through ``_unindex``.
        self._clients: dict[str, set[str]] = {}

    async def add(self, channel: str, info: PresenceInfo, ttl: float) -> None:
        check_ttl(ttl)
        self._entries.set((channel, info.client), info, ttl)
        self._clients.setdefault(channel, set()).add(info.client)

    async def remove(self, channel: str, client: str) -> None:
        self._entries.pop((channel, client))

    async def members(self, channel: str) -> dict[str, PresenceInfo]:
        members: dict[str, PresenceInfo] = {}
        # A copy: a lookup may purge expired entries, which edits the set.
        for client in tuple(self._clients.get(channel, ())):
            info = self._entries.get((channel, client))
            if info is not None:
                members[client] = info
        return members

    async def stats(self, channel: str) -> tuple[int, int]:
        members = await self.members(channel)
        return len(members), len({info.user for info in members.values()})

    def _unindex(self, key: tuple[str, str], info: PresenceInfo) -> None:
        channel, client = key
        clients = self._clients.get(channel)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._clients[channel]
