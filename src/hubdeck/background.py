"""Processes that do background work without serving the web UI.

``hubdeck worker`` builds the same runtime as a web node (so what it syncs reaches browsers
through the same Redis fan-out and history, and a disabled endpoint notifies its team's admins
through the same services) and runs the background work: the sync scheduler (its round in one
worker of the cluster, by a lease), sync jobs, the webhook dispatcher and the event relay. It
serves ``/metrics`` and ``/healthz`` on its own port, and no WebSocket.

``hubdeck webhooks dispatch`` delivers outgoing webhooks only. Any number of both, and the web
nodes' own background work, share the database's queues safely.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from contextlib import AsyncExitStack

import structlog

from hubdeck.app import build_runtime, tune_garbage_collector
from hubdeck.config import Settings
from hubdeck.runtime import Runtime

log = structlog.get_logger(__name__)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def run_worker(settings: Settings, *, metrics_host: str, metrics_port: int | None) -> None:
    async with AsyncExitStack() as stack:
        runtime: Runtime = await build_runtime(settings, stack, background=True)
        if settings.gc_tuning:
            tune_garbage_collector()
        log.info("worker.started", metrics_port=metrics_port)
        await _until_stopped(runtime, metrics_host, metrics_port)
    log.info("worker.stopped")


async def run_dispatcher(
    settings: Settings, *, metrics_host: str = "127.0.0.1", metrics_port: int | None = None
) -> None:
    async with AsyncExitStack() as stack:
        runtime = await build_runtime(settings, stack, background=False)
        await runtime.webhook_dispatcher.start()
        stack.push_async_callback(runtime.webhook_dispatcher.stop)
        log.info("webhooks.dispatcher_started", metrics_port=metrics_port)
        await _until_stopped(runtime, metrics_host, metrics_port)
    log.info("webhooks.dispatcher_stopped")


async def _until_stopped(runtime: Runtime, metrics_host: str, metrics_port: int | None) -> None:
    """Serve /metrics (if asked) until SIGTERM or SIGINT."""
    from hubdeck.web.metrics_server import serve_metrics

    stop = _stop_on_signals()
    waiting = asyncio.create_task(stop.wait())
    metrics: asyncio.Task[None] | None = None
    if metrics_port is not None:
        metrics = asyncio.create_task(serve_metrics(runtime, metrics_host, metrics_port))
    done, _ = await asyncio.wait(
        [t for t in (waiting, metrics) if t is not None], return_when=asyncio.FIRST_COMPLETED
    )
    waiting.cancel()
    if metrics is not None:
        if metrics in done:
            metrics.result()  # a metrics server that failed stops the process, loudly
        metrics.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await metrics
