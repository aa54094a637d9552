"""Redis adapters: shared state for several processes (scale-out).

Each takes a ``redis.asyncio.Redis`` client, which must return bytes (``decode_responses`` off),
and a prefix that every key (and pub/sub channel) they use starts with.
"""

from hubdeck.adapters.redis.broadcaster import RedisBroadcaster
from hubdeck.adapters.redis.cache import RedisCache
from hubdeck.adapters.redis.history import RedisChannelHistory
from hubdeck.adapters.redis.keyvalue import RedisKeyValue
from hubdeck.adapters.redis.locks import RedisLocks
from hubdeck.adapters.redis.presence import RedisPresence

__all__ = [
    "RedisBroadcaster",
    "RedisCache",
    "RedisChannelHistory",
    "RedisKeyValue",
    "RedisLocks",
    "RedisPresence",
]
