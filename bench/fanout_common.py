"""What the fan-out benchmark's processes share: the payload, the publishing loop, limits, GC.

The orchestrator (fanout.py), the servers (fanout_server.py) and the client workers
(fanout_client.py) run as separate processes; this module is imported by each of them.
"""

from __future__ import annotations

import asyncio
import gc
import resource
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

# Every publication carries its send time under this key; clients count occurrences of the
# key to count publications (several may share a frame) and parse the value for latency.
TIME_KEY = "ts"
MARKER = b'"ts"'
PAYLOAD_TYPE = "bench.tick"

# ARCHITECTURE §4: python-socketio went from 9.5 k to 25 k deliveries/s with this alone.
TUNED_GC_THRESHOLD = (100_000, 50, 100)


def payload(seq: int, size: int) -> dict[str, Any]:
    """A HubDeck-shaped event ``{type, seq, ts, data}`` whose compact JSON is ~``size`` bytes.

    The timestamp is taken here, right before the publish call, so latency covers the whole
    server path: encoding, fan-out, queueing, the socket, and the client's read.
    """
    fields: dict[str, Any] = {"type": PAYLOAD_TYPE, "seq": seq, TIME_KEY: time.time()}
    fields["data"] = {"pad": ""}
    # Padded with "x", which never forms MARKER, up to the size asked for.
    fields["data"]["pad"] = "x" * max(size - len(orjson.dumps(fields)), 0)
    return fields


async def publish_loop(
    publish: Callable[[int], Awaitable[None]], *, rate: float, duration: float
) -> dict[str, Any]:
    """Call ``publish(seq)`` for ``duration`` seconds, ``rate`` times a second, or, with
    ``rate == 0``, as fast as the server takes them.

    At saturation the loop yields once (``sleep(0)``) after each publish: every task that the
    publish woke (socket writers) runs before the next publish, so the loop measures how fast
    the server delivers, not how fast it can pile frames into queues.

    The first fifth of the time is ramp-up; for the rest (``window_start`` to ``ended``) the
    process's CPU time is reported too, so that deliveries per CPU-second can be computed (a
    figure that holds up when other programs take CPU from the server), and the time spent
    in the garbage collector with the number of collections per generation.
    """
    loop = asyncio.get_running_loop()
    interval = 1.0 / rate if rate > 0 else 0.0
    started = time.time()
    now = loop.time()
    window_at, deadline = now + duration / 5, now + duration
    window_start, cpu_start = 0.0, 0.0
    gc_start: tuple[list[float], list[int]] = ([0.0] * 3, [0] * 3)
    next_at = now
    seq = 0
    while (now := loop.time()) < deadline:
        if not window_start and now >= window_at:
            window_start, cpu_start = time.time(), time.process_time()
            gc_start = GC_CLOCK.snapshot()
        seq += 1
        await publish(seq)
        if interval:
            next_at += interval
            await asyncio.sleep(max(next_at - loop.time(), 0.0))
        else:
            await asyncio.sleep(0)
    gc_seconds, collections = GC_CLOCK.snapshot()
    gc_window = [a - b for a, b in zip(gc_seconds, gc_start[0], strict=True)]
    measured = bool(window_start)
    return {
        "published": seq,
        "started": started,
        "ended": time.time(),
        "window_start": window_start or started,
        "window_cpu": time.process_time() - cpu_start if measured else 0.0,
        "window_gc": sum(gc_window) if measured else 0.0,
        "window_gc_by_generation": gc_window,
        "window_collections": [a - b for a, b in zip(collections, gc_start[1], strict=True)],
    }


class GcClock:
    """Time this process spent in the garbage collector, per generation (``gc.callbacks``).

    The collector's cost grows with everything alive, so a server holding an object per
    recipient while a message fans out pays for it in collections of the older generations.
    """

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.collections = [0, 0, 0]
        self._started = 0.0

    def install(self) -> None:
        if self._callback not in gc.callbacks:
            gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = info["generation"]
            self.seconds[generation] += time.perf_counter() - self._started
            self.collections[generation] += 1

    def snapshot(self) -> tuple[list[float], list[int]]:
        return list(self.seconds), list(self.collections)


GC_CLOCK = GcClock()


def raise_open_files_limit() -> int:
    """Lift the soft open-files limit to the hard one: 5,000 sockets exceed the usual 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1_048_576
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def apply_gc(mode: str) -> None:
    """``default``: CPython's thresholds (700, 10, 10); ``tuned``: the ARCHITECTURE §4 ones.
    Either way the collector's time is measured from now on."""
    GC_CLOCK.install()
    if mode == "tuned":
        gc.set_threshold(*TUNED_GC_THRESHOLD)
    elif mode != "default":
        raise ValueError(f"unknown GC mode {mode!r}")
