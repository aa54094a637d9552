"""In-process ChannelHistory."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from itertools import islice

from hubdeck.adapters.memory.keyvalue import Clock, check_ttl
from hubdeck.ports import HistoryEntry, StreamPosition


def new_epoch() -> str:
    return secrets.token_hex(8)


@dataclass(slots=True)
class _Channel:
    epoch: str
    touched: float
    offset: int = 0
    # (offset, append time, data), oldest first; offsets are consecutive.
    entries: deque[tuple[int, float, bytes]] = field(default_factory=deque)


class MemoryChannelHistory:
    """History kept in this process; a new instance (a restart) starts new epochs.

    Ages are measured with ``clock`` (monotonic by default): only this process compares them, so
    wall-clock jumps must not age entries. A channel not appended to for ``meta_ttl`` seconds is
    forgotten and starts over at offset 0 with a new epoch, as its Redis meta key would expire.
    """

    def __init__(
        self,
        *,
        max_size: int = 1000,
        max_age: float = 300.0,
        meta_ttl: float = 86400.0,
        clock: Clock = time.monotonic,
    ) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, got {max_size!r}")
        check_ttl(max_age)
        check_ttl(meta_ttl)
        self._max_size = max_size
        self._max_age = max_age
        self._meta_ttl = meta_ttl
        self._clock = clock
        # Least recently appended first, so idle channels are forgotten from the front.
        self._channels: OrderedDict[str, _Channel] = OrderedDict()

    async def append(self, channel: str, data: bytes) -> StreamPosition:
        now = self._clock()
        state = self._channel(channel, now)
        state.offset += 1
        state.touched = now
        state.entries.append((state.offset, now, data))
        if len(state.entries) > self._max_size:
            state.entries.popleft()
        self._channels.move_to_end(channel)
        return StreamPosition(state.offset, state.epoch)

    async def top(self, channel: str) -> StreamPosition:
        state = self._channel(channel, self._clock())
        return StreamPosition(state.offset, state.epoch)

    async def since(
        self, channel: str, offset: int, limit: int | None = None
    ) -> tuple[list[HistoryEntry], StreamPosition]:
        now = self._clock()
        state = self._channel(channel, now)
        entries = state.entries
        while entries and now - entries[0][1] >= self._max_age:
            entries.popleft()
        position = StreamPosition(state.offset, state.epoch)
        if not entries or (limit is not None and limit <= 0):
            return [], position
        start = max(offset + 1 - entries[0][0], 0)
        stop = None if limit is None else start + limit
        found = [HistoryEntry(o, data) for o, _, data in islice(entries, start, stop)]
        return found, position

    def _channel(self, channel: str, now: float) -> _Channel:
        while self._channels:
            name, oldest = next(iter(self._channels.items()))
            if now - oldest.touched < self._meta_ttl:
                break
            del self._channels[name]
        state = self._channels.get(channel)
        if state is None:
            state = self._channels[channel] = _Channel(new_epoch(), now)
        return state
