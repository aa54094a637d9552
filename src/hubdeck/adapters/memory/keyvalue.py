"""In-process KeyValue, and the expiring store the other memory adapters build on."""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Clock = Callable[[], float]


def check_ttl(ttl: float) -> None:
    # Redis rejects a non-positive expiry; refusing it here too keeps both adapters alike.
    if not ttl > 0:
        raise ValueError(f"ttl must be positive, got {ttl!r}")


class ExpiringStore(Generic[K, V]):
    """A dict whose items may expire; expired items are purged as time passes.

    A heap of deadlines makes purging cost O(log n) per expiry, so memory stays bounded by the
    live items even when nothing reads the expired ones again. ``on_remove`` is called for every
    item that leaves (expired, popped or overwritten), for callers that keep indexes.
    """

    def __init__(
        self, clock: Clock = time.monotonic, on_remove: Callable[[K, V], None] | None = None
    ) -> None:
        self._clock = clock
        self._on_remove = on_remove
        self._items: dict[K, tuple[V, float | None]] = {}
        # (deadline, tie-breaker, key): entries go stale when a key is re-set or popped, and are
        # recognised on purge because the item's deadline no longer matches.
        self._deadlines: list[tuple[float, int, K]] = []
        self._sequence = itertools.count()

    def purge(self) -> None:
        now = self._clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            deadline, _, key = heapq.heappop(self._deadlines)
            item = self._items.get(key)
            if item is not None and item[1] == deadline:
                del self._items[key]
                if self._on_remove is not None:
                    self._on_remove(key, item[0])

    def get(self, key: K) -> V | None:
        self.purge()
        item = self._items.get(key)
        return None if item is None else item[0]

    def set(self, key: K, value: V, ttl: float | None) -> None:
        self.purge()
        deadline = None if ttl is None else self._clock() + ttl
        self._put(key, value, deadline)

    def replace(self, key: K, value: V) -> bool:
        """Change a live item's value, keeping its deadline; False if there is none."""
        self.purge()
        item = self._items.get(key)
        if item is None:
            return False
        self._items[key] = (value, item[1])
        return True

    def pop(self, key: K) -> V | None:
        self.purge()
        item = self._items.pop(key, None)
        if item is None:
            return None
        if self._on_remove is not None:
            self._on_remove(key, item[0])
        return item[0]

    def remaining(self, key: K) -> float | None:
        """Seconds before ``key`` expires; None if it has no deadline or does not exist."""
        self.purge()
        item = self._items.get(key)
        if item is None or item[1] is None:
            return None
        return max(item[1] - self._clock(), 0.0)

    def _put(self, key: K, value: V, deadline: float | None) -> None:
        old = self._items.get(key)
        self._items[key] = (value, deadline)
        if old is not None and self._on_remove is not None:
            self._on_remove(key, old[0])
        if deadline is not None:
            heapq.heappush(self._deadlines, (deadline, next(self._sequence), key))


class MemoryKeyValue:
    """KeyValue for one process. Every method runs without awaiting, hence atomically."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._store: ExpiringStore[str, bytes] = ExpiringStore(clock)

    async def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        if ttl is not None:
            check_ttl(ttl)
        self._store.set(key, value, ttl)

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        if ttl is not None:
            check_ttl(ttl)
        if self._store.get(key) is not None:
            return False
        self._store.set(key, value, ttl)
        return True

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        if ttl is not None:
            check_ttl(ttl)
        current = self._store.get(key)
        if current is None:
            self._store.set(key, str(amount).encode(), ttl)
            return amount
        # Stored like Redis stores counters (decimal text), so get() returns the same bytes.
        value = int(current) + amount
        self._store.replace(key, str(value).encode())
        return value

    async def delete(self, key: str) -> bool:
        return self._store.pop(key) is not None

    async def ttl(self, key: str) -> float | None:
        return self._store.remaining(key)
