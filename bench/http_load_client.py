"""One load-generating process of ``bench/http_load.py``: an open-loop HTTP client.

Reads JSON lines on stdin: first its setup (base URL, cookies, connection pool), then one
phase per line (rate, seconds, the requests to cycle through, the wall-clock start); answers
each phase with one JSON line on stdout. Requests start on their schedule whether or not
earlier ones have been answered (open loop), and a request's latency runs from the moment it
was due, not from when it was sent: a server (or a client) that falls behind shows its queue
in the figures instead of quietly lowering the rate (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from typing import Any

import httpx
import orjson


async def phase(
    client: httpx.AsyncClient, connections: int, command: dict[str, Any]
) -> dict[str, Any]:
    rate: float = command["rate"]
    requests: list[list[str]] = command["requests"]  # [name, path], cycled through
    count = int(rate * command["seconds"])
    interval = 1.0 / rate
    latencies: dict[str, list[float]] = {}
    errors: dict[str, dict[str, int]] = {}
    lags: list[float] = []
    # Due requests wait here for a free connection, as a browser's do: the wait is part of
    # their latency. One task per connection keeps httpx's pool from holding hundreds of
    # waiting requests, which costs it CPU in proportion to their number (the generator
    # would become the bottleneck just when the server falls behind).
    due_requests: asyncio.Queue[tuple[str, str, float] | None] = asyncio.Queue()

    async def connection() -> None:
        while (item := await due_requests.get()) is not None:
            name, path, due = item
            try:
                answer = await client.get(path)
                await answer.aread()
                outcome = None if answer.status_code < 400 else str(answer.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            except asyncio.CancelledError:  # still unanswered when the phase gave up
                counts = errors.setdefault(name, {})
                counts["unanswered"] = counts.get("unanswered", 0) + 1
                raise
            if outcome is None:
                elapsed = round((time.perf_counter() - due) * 1000, 3)
                latencies.setdefault(name, []).append(elapsed)
            else:
                counts = errors.setdefault(name, {})
                counts[outcome] = counts.get(outcome, 0) + 1

    # Every process starts at the same wall-clock instant; perf_counter keeps the schedule.
    await asyncio.sleep(max(0.0, command["start_at"] - time.time()))
    cpu = time.process_time()
    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    started = time.perf_counter() + command.get("offset", 0.0) * interval
    first = command.get("first", 0)
    for i in range(count):
        due = started + i * interval
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        # How late the generator itself is: the figure that says whether it keeps up.
        lags.append(time.perf_counter() - due)
        name, path = requests[(first + i) % len(requests)]
        due_requests.put_nowait((name, path, due))
    sent = time.perf_counter() - started
    for _ in workers:
        due_requests.put_nowait(None)
    # Requests still queued when time is up are not sent: counted as timeouts.
    _, pending = await asyncio.wait(workers, timeout=command["timeout"] + 2)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    unsent = 0
    while not due_requests.empty():
        unsent += due_requests.get_nowait() is not None
    if unsent:
        errors.setdefault("*", {})["not sent in time"] = unsent
    elapsed = time.perf_counter() - started
    return {
        "latencies": latencies,
        "errors": errors,
        "lag_ms": sorted(round(lag * 1000, 3) for lag in lags),
        "scheduled": count,
        "send_seconds": round(sent, 3),
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }


async def main() -> None:
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    setup = orjson.loads(await reader.readline())
    connections = setup["connections"]
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    while line := await reader.readline():
        command = orjson.loads(line)
        # A fresh pool each phase: requests cancelled at the end of an overloaded phase must not
        # leave the next one with connections in an unknown state.
        async with httpx.AsyncClient(
            base_url=setup["base_url"],
            cookies=setup["cookies"],
            timeout=setup["timeout"],
            limits=limits,
        ) as client:
            # Connections opened before the schedule starts, not during its first requests.
            await asyncio.gather(
                *(client.get(setup["warm_path"]) for _ in range(connections)),
                return_exceptions=True,
            )
            result = await phase(client, connections, {"timeout": setup["timeout"], **command})
        sys.stdout.buffer.write(orjson.dumps(result) + b"\n")
        sys.stdout.flush()


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        asyncio.run(main())
    else:
        uvloop.run(main())
