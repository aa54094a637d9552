"""A few seconds' memory of authorization lookups (a session, a team membership).

Every API request authenticates its session and most check a team membership: two database
round trips (or Redis ones) before any work, for answers that change a few times a day. A
process keeps what it read for a few seconds and forgets it at once when it hears of a change
(a revoked session, a removed member: the services that make the change forget it locally,
and the broadcaster tells the other processes). The time limit bounds what a lost broadcast
could leave behind; only answers that let a request in are kept, so nobody is refused on the
strength of a remembered answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Long enough that a page's burst of requests (and a busy API client) authenticates once,
# short enough that a change missed by every other means ends soon.
DEFAULT_TTL = 5.0
# Past this many entries everything is forgotten at once: simpler than evicting, and a flood of
# distinct sessions costs a database read each, as it did without this memory.
MAX_ENTRIES = 10_000


class Recent(Generic[K, V]):
    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        *,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: dict[K, tuple[float, V]] = {}
        # Counts forgettings: an answer read before one of them may predate the change it
        # announced, and is not kept (see ``put``).
        self.epoch = 0

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: K, value: V, epoch: int) -> None:
        """Keep ``value`` if nothing was forgotten since ``epoch`` (``self.epoch`` taken before
        the value was read)."""
        if self.ttl <= 0 or epoch != self.epoch:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = (self._clock() + self.ttl, value)

    def forget(self, key: K) -> None:
        self.epoch += 1
        self._entries.pop(key, None)

    def forget_where(self, matches: Callable[[K], bool]) -> None:
        self.epoch += 1
        for key in [k for k in self._entries if matches(k)]:
            del self._entries[key]

    def clear(self) -> None:
        self.epoch += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
