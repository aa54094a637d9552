"""In-process leases."""

from __future__ import annotations

import secrets
import time

from hubdeck.adapters.memory.keyvalue import Clock, ExpiringStore, check_ttl


class MemoryLocks:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._holders: ExpiringStore[str, str] = ExpiringStore(clock)

    async def acquire(self, name: str, lease: float) -> str | None:
        check_ttl(lease)
        if self._holders.get(name) is not None:
            return None
        token = secrets.token_hex(16)
        self._holders.set(name, token, lease)
        return token

    async def extend(self, name: str, token: str, lease: float) -> bool:
        check_ttl(lease)
        if self._holders.get(name) != token:
            return False
        self._holders.set(name, token, lease)
        return True

    async def release(self, name: str, token: str) -> bool:
        if self._holders.get(name) != token:
            return False
        self._holders.pop(name)
        return True
