"""``hubdeck webhooks dispatch``: a process that only delivers outgoing webhooks.

It builds the same runtime as the server (so a disabled endpoint notifies its team's admins
through the same services) without serving HTTP or syncing. Any number of these, and the
servers' own dispatchers, share the outbox safely.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from contextlib import AsyncExitStack

import structlog

from hubdeck.app import build_runtime
from hubdeck.config import Settings

log = structlog.get_logger(__name__)


async def run_dispatcher(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with AsyncExitStack() as stack:
        runtime = await build_runtime(settings, stack, background=False)
        await runtime.webhook_dispatcher.start()
        stack.push_async_callback(runtime.webhook_dispatcher.stop)
        log.info("webhooks.dispatcher_started")
        await stop.wait()
    log.info("webhooks.dispatcher_stopped")
