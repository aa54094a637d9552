"""Signed webhook deliveries: recorded for inspection, sent asynchronously, retried, and
redeliverable with their original delivery id (as GitHub's "Redeliver" button does)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from .clock import Clock
from .config import SimulatorConfig
from .models import iso

USER_AGENT = "GitHub-Hookshot/sim1a2b3c"


def signature_256(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_1(secret: str, body: bytes) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


@dataclass(slots=True)
class Attempt:
    at: str
    status_code: int | None
    error: str | None
    duration_ms: float
    redelivery: bool


@dataclass(slots=True)
class Delivery:
    guid: str
    event: str
    action: str | None
    body: bytes
    delivered_at: str
    # pending: waiting to be sent · delivered · failed (attempts exhausted or 4xx) ·
    # not_sent: no webhook URL configured when it was emitted.
    status: str = "pending"
    attempts: list[Attempt] = field(default_factory=list)

    def as_json(self, *, with_payload: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.guid,
            "guid": self.guid,
            "event": self.event,
            "action": self.action,
            "delivered_at": self.delivered_at,
            "status": self.status,
            "attempts": [
                {
                    "at": a.at,
                    "status_code": a.status_code,
                    "error": a.error,
                    "duration_ms": round(a.duration_ms, 2),
                    "redelivery": a.redelivery,
                }
                for a in self.attempts
            ],
        }
        if with_payload:
            body["payload"] = orjson.loads(self.body)
        return body


class WebhookSender:
    def __init__(
        self,
        config: SimulatorConfig,
        clock: Clock,
        *,
        target_id: int = 0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._target_id = target_id
        self._config = config
        self._clock = clock
        self._transport = transport
        self.url = config.webhook_url
        self.secret = config.webhook_secret
        self.hook_id = config.webhook_hook_id
        self.deliveries: dict[str, Delivery] = {}
        self._queue: asyncio.Queue[tuple[Delivery, bool]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        if self._worker is not None:
            return
        self._queue = asyncio.Queue()
        self._client = httpx.AsyncClient(
            transport=self._transport, timeout=self._config.webhook_timeout
        )
        self._worker = asyncio.create_task(self._run(), name="simulator-webhook-sender")
        for delivery in self.deliveries.values():
            if delivery.status == "pending":
                self._queue.put_nowait((delivery, False))

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        self._queue = None

    async def drain(self) -> None:
        """Wait until every queued delivery has been attempted (tests, benchmarks); callers
        bound the wait with ``asyncio.timeout``."""
        if self._queue is not None:
            await self._queue.join()

    def configure(self, url: str | None, secret: str | None) -> None:
        self.url, self.secret = url, secret

    # -- emitting ----------------------------------------------------------------------------
    def emit(self, event: str, action: str | None, payload: dict[str, Any]) -> Delivery:
        delivery = Delivery(
            guid=str(uuid.uuid4()),
            event=event,
            action=action,
            body=orjson.dumps(payload),
            delivered_at=iso(self._clock.now()) or "",
        )
        self.deliveries[delivery.guid] = delivery
        if self.url is None:
            delivery.status = "not_sent"
        elif self._queue is not None:
            self._queue.put_nowait((delivery, False))
        return delivery

    def redeliver(self, guid: str) -> Delivery | None:
        delivery = self.deliveries.get(guid)
        if delivery is None:
            return None
        delivery.status = "pending" if self.url else "not_sent"
        if self._queue is not None and self.url:
            self._queue.put_nowait((delivery, True))
        return delivery

    def headers(self, delivery: Delivery) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-GitHub-Event": delivery.event,
            "X-GitHub-Delivery": delivery.guid,
            "X-GitHub-Hook-ID": str(self.hook_id),
            "X-GitHub-Hook-Installation-Target-Type": "organization",
            "X-GitHub-Hook-Installation-Target-ID": str(self._target_id),
        }
        if self.secret:
            headers["X-Hub-Signature"] = signature_1(self.secret, delivery.body)
            headers["X-Hub-Signature-256"] = signature_256(self.secret, delivery.body)
        return headers

    # -- sending -----------------------------------------------------------------------------
    async def _run(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            delivery, redelivery = await queue.get()
            try:
                await self._deliver(delivery, redelivery)
            except Exception as error:  # the sender must outlive any one delivery
                delivery.status = "failed"
                delivery.attempts.append(
                    Attempt(iso(self._clock.now()) or "", None, repr(error), 0, redelivery)
                )
            finally:
                queue.task_done()

    async def _deliver(self, delivery: Delivery, redelivery: bool) -> None:
        assert self._client is not None
        delay = self._config.webhook_retry_delay
        for attempt in range(1, self._config.webhook_max_attempts + 1):
            url = self.url
            if url is None:
                delivery.status = "not_sent"
                return
            started = time.perf_counter()
            status: int | None = None
            error: str | None = None
            try:
                response = await self._client.post(
                    url, content=delivery.body, headers=self.headers(delivery)
                )
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            delivery.attempts.append(
                Attempt(iso(self._clock.now()) or "", status, error, elapsed, redelivery)
            )
            if status is not None and status < 300:
                delivery.status = "delivered"
                return
            # 4xx other than 408/429 means the receiver rejected the payload: retrying the same
            # bytes cannot help. Connection errors, timeouts and 5xx are retried.
            if status is not None and 400 <= status < 500 and status not in (408, 429):
                break
            if attempt < self._config.webhook_max_attempts:
                await asyncio.sleep(delay)
                delay *= 2
        delivery.status = "failed"
