"""Broadcaster on Redis pub/sub; topics map to channels ``{prefix}bc:{topic}``.

One pub/sub connection per broadcaster, read by one task that dispatches to the handlers. When
the connection breaks, the task reconnects with capped exponential backoff and subscribes every
topic again; messages published meanwhile are lost (pub/sub is at most once). A connection that
goes silent (a peer that vanished without closing it) is detected by pinging when idle.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from hubdeck.ports import MessageHandler, Subscription

log = structlog.get_logger(__name__)


class _Subscription:
    def __init__(self, owner: RedisBroadcaster, topic: str, handler: MessageHandler) -> None:
        self.topic = topic
        self.handler = handler
        self.active = True
        self._owner = owner

    async def close(self) -> None:
        if self.active:
            self.active = False
            await self._owner._remove(self)


class _Topic:
    def __init__(self) -> None:
        self.subscriptions: list[_Subscription] = []
        # Set when Redis confirmed the subscription on the current connection.
        self.subscribed = asyncio.Event()


class RedisBroadcaster:
    def __init__(
        self,
        client: Redis,
        prefix: str,
        *,
        backoff_initial: float = 0.05,
        backoff_max: float = 5.0,
        idle_ping: float = 15.0,
        subscribe_timeout: float = 10.0,
    ) -> None:
        self._client = client
        self._channel_prefix = f"{prefix}bc:"
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._idle_ping = idle_ping
        self._subscribe_timeout = subscribe_timeout
        self._topics: dict[str, _Topic] = {}
        self._pubsub: PubSub | None = None  # set while connected
        self._reader: asyncio.Task[None] | None = None
        self._closed = False
        self._heard = False  # whether the current connection has delivered anything
        self._reconnect_listeners: list[Callable[[], None]] = []

    def on_reconnected(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after the connection came back: what was published meanwhile
        never arrives (pub/sub keeps nothing), so a listener catches up another way."""
        self._reconnect_listeners.append(listener)

    async def start(self) -> None:
        """Start the reader (``subscribe`` does it when needed)."""
        if self._closed:
            raise RuntimeError("the broadcaster is closed")
        if self._reader is None:
            self._reader = asyncio.create_task(self._run(), name="hubdeck-redis-broadcaster")

    async def close(self) -> None:
        self._closed = True
        for topic in self._topics.values():
            for subscription in topic.subscriptions:
                subscription.active = False
            topic.subscribed.set()  # releases subscribe() calls still waiting
        self._topics.clear()
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            try:
                await reader
            except asyncio.CancelledError:
                # Swallow the reader's cancellation, not one aimed at our caller.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise

    async def publish(self, topic: str, payload: bytes) -> None:
        await self._client.publish(self._channel_prefix + topic, payload)

    async def subscribe(self, topic: str, handler: MessageHandler) -> Subscription:
        await self.start()
        subscription = _Subscription(self, topic, handler)
        state = self._topics.get(topic)
        if state is None:
            state = self._topics[topic] = _Topic()
            pubsub = self._pubsub
            if pubsub is not None:
                # On failure the reader reconnects and subscribes every topic, this one included.
                with suppress(RedisError, OSError):
                    await pubsub.subscribe(self._channel_prefix + topic)
        state.subscriptions.append(subscription)
        # Only once Redis has confirmed are later publications certain to reach us.
        try:
            await asyncio.wait_for(state.subscribed.wait(), self._subscribe_timeout)
        except TimeoutError:
            await subscription.close()
            raise TimeoutError(f"Redis did not confirm the subscription to {topic!r}") from None
        return subscription

    async def _remove(self, subscription: _Subscription) -> None:
        state = self._topics.get(subscription.topic)
        if state is None or subscription not in state.subscriptions:
            return
        state.subscriptions.remove(subscription)
        if state.subscriptions:
            return
        del self._topics[subscription.topic]
        pubsub = self._pubsub
        if pubsub is not None:
            # If this fails the connection is broken, and the reader will not resubscribe it.
            with suppress(RedisError, OSError):
                await pubsub.unsubscribe(self._channel_prefix + subscription.topic)

    async def _run(self) -> None:
        failures = 0
        while True:
            pubsub = self._client.pubsub()
            self._heard = False
            try:
                await pubsub.connect()  # type: ignore[no-untyped-call]
                # Exposed before the topics are listed, so that no topic is missed: one added
                # from now on is subscribed by subscribe() itself, one added before is listed.
                self._pubsub = pubsub
                topics = list(self._topics)
                if topics:
                    await pubsub.subscribe(*(self._channel_prefix + topic for topic in topics))
                if failures:
                    log.info("redis pub/sub reconnected", topics=len(topics))
                    for listener in self._reconnect_listeners:
                        try:
                            listener()
                        except Exception:
                            log.exception("redis pub/sub reconnect listener failed")
                await self._read(pubsub)
            except Exception as error:
                # Back off from scratch only if the connection had worked.
                failures = 1 if self._heard else failures + 1
                log.warning(
                    "redis pub/sub connection lost",
                    error=f"{type(error).__name__}: {error}",
                    failures=failures,
                )
            finally:
                self._pubsub = None
                for state in self._topics.values():
                    state.subscribed.clear()
                with suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            delay = min(self._backoff_max, self._backoff_initial * 2 ** min(failures - 1, 30))
            # Jitter spreads the reconnections of many processes after a Redis restart.
            await asyncio.sleep(delay * (0.5 + random.random() / 2))  # noqa: S311

    async def _read(self, pubsub: PubSub) -> None:
        loop = asyncio.get_running_loop()
        last_heard = loop.time()
        pinged = False
        poll = min(1.0, self._idle_ping / 2)
        while True:
            message = await pubsub.get_message(timeout=poll)
            now = loop.time()
            if message is not None:
                last_heard, pinged, self._heard = now, False, True
                self._dispatch(message)
            elif now - last_heard > 2 * self._idle_ping:
                raise ConnectionError("no reply from Redis to a ping")
            elif now - last_heard > self._idle_ping and not pinged:
                await pubsub.ping()
                pinged = True

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind not in ("message", "subscribe"):
            return
        channel: bytes = message["channel"]
        topic = channel.decode()[len(self._channel_prefix) :]
        state = self._topics.get(topic)
        if state is None:
            return
        if kind == "subscribe":
            state.subscribed.set()
            return
        payload: bytes = message["data"]
        for subscription in tuple(state.subscriptions):
            if not subscription.active:
                continue
            try:
                subscription.handler(topic, payload)
            except Exception:
                # One faulty handler must not starve the others of the message.
                log.exception("broadcast handler failed", topic=topic)
