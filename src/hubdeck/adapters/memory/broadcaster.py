"""In-process Broadcaster: publish delivers to this process's subscribers only."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from hubdeck.ports import MessageHandler, Subscription

log = structlog.get_logger(__name__)


class _Subscription:
    def __init__(self, owner: MemoryBroadcaster, topic: str, handler: MessageHandler) -> None:
        self.topic = topic
        self.handler = handler
        self.active = True
        self._owner = owner

    async def close(self) -> None:
        if self.active:
            self.active = False
            self._owner._remove(self)


class MemoryBroadcaster:
    """Delivers synchronously inside ``publish``, to the handlers subscribed at that moment.

    A handler cannot publish re-entrantly (it is synchronous and ``publish`` is a coroutine), so
    every handler sees one topic's messages in publish order.
    """

    def __init__(self) -> None:
        self._subscriptions: dict[str, list[_Subscription]] = {}

    async def start(self) -> None:
        """Nothing to start; present so both broadcasters have the same lifecycle."""

    def on_reconnected(self, listener: Callable[[], None]) -> None:
        """In one process nothing is ever disconnected: the listener is never called."""

    async def close(self) -> None:
        for subscriptions in self._subscriptions.values():
            for subscription in subscriptions:
                subscription.active = False
        self._subscriptions.clear()

    async def publish(self, topic: str, payload: bytes) -> None:
        # A copy: a handler may close its subscription (or others) while we iterate.
        for subscription in tuple(self._subscriptions.get(topic, ())):
            if not subscription.active:
                continue
            try:
                subscription.handler(topic, payload)
            except Exception:
                # One faulty handler must not starve the others of the message.
                log.exception("broadcast handler failed", topic=topic)

    async def subscribe(self, topic: str, handler: MessageHandler) -> Subscription:
        subscription = _Subscription(self, topic, handler)
        self._subscriptions.setdefault(topic, []).append(subscription)
        return subscription

    def _remove(self, subscription: _Subscription) -> None:
        subscriptions = self._subscriptions.get(subscription.topic)
        if subscriptions is None:
            return
        if subscription in subscriptions:
            subscriptions.remove(subscription)
        if not subscriptions:
            del self._subscriptions[subscription.topic]
