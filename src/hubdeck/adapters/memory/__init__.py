"""Memory adapters: the embedded default, for a single process."""

from hubdeck.adapters.memory.broadcaster import MemoryBroadcaster
from hubdeck.adapters.memory.cache import MemoryCache
from hubdeck.adapters.memory.history import MemoryChannelHistory
from hubdeck.adapters.memory.keyvalue import MemoryKeyValue
from hubdeck.adapters.memory.locks import MemoryLocks
from hubdeck.adapters.memory.presence import MemoryPresence

__all__ = [
    "MemoryBroadcaster",
    "MemoryCache",
    "MemoryChannelHistory",
    "MemoryKeyValue",
    "MemoryLocks",
    "MemoryPresence",
]
