"""ChannelStream in one process: history append and delivery with no await in between."""

from __future__ import annotations

import asyncio

import structlog

from hubdeck.adapters.memory.history import MemoryChannelHistory
from hubdeck.ports import PublicationHandler, StreamPosition

log = structlog.get_logger(__name__)


class _Subscription:
    def __init__(self, stream: MemoryChannelStream, channel: str, handler: PublicationHandler):
        self._stream = stream
        self._channel = channel
        self._handler = handler

    async def close(self) -> None:
        handlers = self._stream._handlers.get(self._channel)
        if handlers is not None and self._handler in handlers:
            handlers.remove(self._handler)
            if not handlers:
                del self._stream._handlers[self._channel]


class MemoryChannelStream:
    def __init__(self, history: MemoryChannelHistory) -> None:
        self._history = history
        self._handlers: dict[str, list[PublicationHandler]] = {}

    async def publish(self, channel: str, data: bytes) -> StreamPosition:
        # The memory history never suspends, so append and delivery happen as one step and
        # concurrent publishers cannot interleave their offsets and deliveries.
        position = await self._history.append(channel, data)
        for handler in list(self._handlers.get(channel, ())):
            try:
                handler(channel, position.offset, position.epoch, data)
            except Exception:
                log.exception("stream.handler_failed", channel=channel)
        # A turn for the connections' writers: a burst of publications in one tick would
        # otherwise pile up in every queue, and count against fast clients as if they were slow.
        await asyncio.sleep(0)
        return position

    async def subscribe(self, channel: str, handler: PublicationHandler) -> _Subscription:
        self._handlers.setdefault(channel, []).append(handler)
        return _Subscription(self, channel, handler)
