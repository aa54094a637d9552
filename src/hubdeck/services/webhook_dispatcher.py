"""The dispatcher: claims due outbox messages, sends them, and moves each on.

Any number of dispatchers (the server's own task, ``hubdeck webhooks dispatch`` processes) share
the outbox: a claim is a lease (store), so no message is tried by two at once, and a dispatcher
that dies leaves its messages due again when their lease ends. At least once: a message sent
just before a crash is sent again, with the same ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.events import DomainEvent
from hubdeck.core.webhooks.model import ClaimedMessage, MessageStatus
from hubdeck.core.webhooks.outcome import AttemptResult, Verdict
from hubdeck.core.webhooks.schedule import DISABLE_AFTER, retry_delay, should_disable
from hubdeck.core.webhooks.signing import signed_headers
from hubdeck.ports import SecretBox, WebhookSender, WebhookStore
from hubdeck.services.tasks import BackgroundTask

log = structlog.get_logger(__name__)

Publish = Callable[[DomainEvent], Awaitable[None]]

# Messages claimed at once, and sent at once: enough to keep up with a burst without opening
# hundreds of connections to one receiver.
BATCH = 50
CONCURRENCY = 16
# How often an idle dispatcher looks for due retries and for messages written by other
# processes (in this process, new messages wake it at once).
POLL_INTERVAL = 1.0


class WebhookDispatcher:
    def __init__(
        self,
        store: WebhookStore,
        sender: WebhookSender,
        box: SecretBox,
        clock: Clock,
        publish: Publish,
        *,
        timeout: float,
        scale: float = 1.0,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self._store = store
        self._sender = sender
        self._box = box
        self._clock = clock
        self._publish = publish
        self._scale = scale
        self._poll = poll_interval
        # The lease outlives the longest attempt (the sender's deadline) with room to record it.
        self._lease = timedelta(seconds=timeout * 2 + 5)
        self._wakeup = asyncio.Event()
        self._task = BackgroundTask("webhook-dispatcher", self.run)
        # Jitter only spreads retries in time: no secret depends on it.
        self._random = random.Random()  # noqa: S311

    def wake(self) -> None:
        self._wakeup.set()

    async def start(self) -> None:
        await self._task.start()

    async def stop(self) -> None:
        await self._task.stop()

    async def run(self) -> None:
        while True:
            try:
                sent = await self.run_once()
            except Exception:  # the database may be away for a moment: try again later
                log.exception("webhooks.dispatch_failed")
                sent = 0
            if sent:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(await self._idle_time()):
                    await self._wakeup.wait()
            self._wakeup.clear()

    async def _idle_time(self) -> float:
        """Until the next retry is due, at most the poll interval (other processes' messages
        are only seen by polling)."""
        try:
            due = await self._store.next_due()
        except Exception:
            return self._poll
        if due is None:
            return self._poll
        # A floor: a due message locked by another dispatcher must not make this one spin.
        return max(0.05, min(self._poll, (due - self._clock.now()).total_seconds()))

    async def run_once(self) -> int:
        """Claim one batch and send it; the number of messages tried."""
        claimed = await self._store.claim(self._clock.now(), self._lease, BATCH)
        if not claimed:
            return 0
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(item: ClaimedMessage) -> None:
            message = item.message
            # Each delivery runs in its own task: what it logs names the event it carries, so an
            # event is followed from the process that published it to this one.
            structlog.contextvars.bind_contextvars(
                event_id=message.event_id, event_type=message.event_type, msg_id=message.msg_id
            )
            async with gate:
                try:
                    await self._attempt(item)
                except Exception:
                    log.exception("webhooks.attempt_failed", message_id=message.id)

        await asyncio.gather(*(one(item) for item in claimed))
        return len(claimed)

    def _secrets(self, item: ClaimedMessage, now: datetime) -> list[str]:
        stored = item.secrets
        secrets = [self._box.decrypt(stored.current)]
        if (
            stored.previous is not None
            and stored.previous_expires_at is not None
            and stored.previous_expires_at > now
        ):
            secrets.append(self._box.decrypt(stored.previous))
        return secrets

    async def _attempt(self, item: ClaimedMessage) -> None:
        message = item.message
        body = message.body.encode()
        now = self._clock.now()
        headers = signed_headers(self._secrets(item, now), message.msg_id, int(time.time()), body)
        result = await self._sender.send(item.url, headers.as_dict(), body)
        done = self._clock.now()
        verdict = result.verdict
        if verdict is Verdict.delivered:
            status, due = MessageStatus.delivered, done
        elif verdict is Verdict.gone:
            status, due = MessageStatus.failed, done
        else:
            delay = retry_delay(
                message.attempts + 1, scale=self._scale, jitter=self._random.uniform(-1, 1)
            )
            status = MessageStatus.failed if delay is None else MessageStatus.pending
            due = done + (delay or timedelta(0))
        failing_since = await self._store.record(
            item, result, done, status=status, next_attempt_at=due
        )
        log.info(
            "webhooks.attempt",
            endpoint_id=message.endpoint_id,
            msg_id=message.msg_id,
            attempt=message.attempts + 1,
            status_code=result.status_code,
            outcome=status.value,
            duration_ms=result.duration_ms,
        )
        if verdict is Verdict.gone:
            await self._disable(item, "the endpoint answered 410 Gone", result, done)
        elif should_disable(failing_since, done, scale=self._scale):
            assert failing_since is not None
            hours = DISABLE_AFTER * self._scale
            reason = (
                f"No delivery succeeded since {failing_since.astimezone(UTC):%Y-%m-%d %H:%M} UTC "
                f"({_duration(hours)} of failures)."
            )
            await self._disable(item, reason, result, done)

    async def _disable(
        self, item: ClaimedMessage, reason: str, result: AttemptResult, at: datetime
    ) -> None:
        endpoint = await self._store.disable(item.message.endpoint_id, reason, at)
        if endpoint is None:
            return  # disabled already, by hand or by another dispatcher
        log.warning("webhooks.endpoint_disabled", endpoint_id=endpoint.id, reason=reason)
        await self._publish(
            DomainEvent(
                type="webhook_endpoint.disabled",
                occurred_at=at,
                team_id=endpoint.team_id,
                subject=endpoint.url,
                data={
                    "endpoint_id": endpoint.id,
                    "url": endpoint.url,
                    "reason": reason,
                    "last_status_code": result.status_code,
                },
            )
        )


def _duration(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    return f"{seconds:.0f} s"
