"""Notification digests, sent on each user's schedule (core/notifications/digest.py).

Every process with background work runs the ``DigestScheduler``; each minute ``run_due`` looks
for users whose current period has not been claimed yet, composes their digest and claims the
period in the same transaction that stores it, so one period gets one digest however many
processes race for it. A digest is stored and pushed like any notification: every device of the
user sees it arrive, and the browser rings if the user wants it to.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.notifications import (
    Channel,
    NotificationKind,
    compose_digest,
    due_period,
    window_start,
)
from hubdeck.ports import DigestSubscriber, NotificationStore
from hubdeck.services.notifications import NotificationService
from hubdeck.services.tasks import BackgroundTask

log = structlog.get_logger(__name__)

# Schedules are by the hour: a minute's tick sends each digest within a minute of its time.
TICK_SECONDS = 60.0


class DigestService:
    def __init__(
        self, store: NotificationStore, notifications: NotificationService, clock: Clock
    ) -> None:
        self._store = store
        self._notifications = notifications
        self._clock = clock

    async def run_due(self, now: datetime | None = None) -> int:
        """Send the digests due at ``now`` (default: the clock's); how many were sent."""
        at = self._clock.now() if now is None else now
        sent = 0
        for subscriber in await self._store.digest_subscribers():
            try:
                sent += await self._send(subscriber, at)
            except Exception:  # one user's failure must not hold back everyone else's digest
                log.exception("digests.failed", user_id=subscriber.user_id)
        return sent

    async def _send(self, subscriber: DigestSubscriber, now: datetime) -> int:
        schedule = subscriber.preferences.digest
        period = due_period(schedule, now)
        last = subscriber.last_period
        if period is None or (last is not None and last >= period):
            return 0
        since = window_start(schedule, period, last)
        unread = await self._store.unread_between(subscriber.user_id, since, period)
        draft = compose_digest(subscriber.user_id, schedule, unread, since=since, period=period)
        # Claimed even when empty: an empty period is done, not retried every minute.
        notification = await self._store.claim_digest(subscriber.user_id, period, draft, now)
        if notification is None:
            return 0
        browser = subscriber.preferences.channel(NotificationKind.digest) is Channel.browser
        await self._notifications.announce(notification, browser=browser)
        log.info("digests.sent", user_id=subscriber.user_id, period=period.isoformat())
        return 1


class DigestScheduler:
    """Runs ``DigestService.run_due`` every ``interval`` seconds in a background task."""

    def __init__(self, digests: DigestService, interval: float = TICK_SECONDS) -> None:
        self._digests = digests
        self._interval = interval
        self._task = BackgroundTask("digest-scheduler", self.run)

    async def start(self) -> None:
        await self._task.start()

    async def stop(self) -> None:
        await self._task.stop()

    async def run(self) -> None:
        while True:
            try:
                await self._digests.run_due()
            except Exception:  # the database may be away for a moment: the next tick retries
                log.exception("digests.run_failed")
            await asyncio.sleep(self._interval)
