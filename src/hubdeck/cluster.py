"""``hubdeck cluster``: web nodes, workers and a balancer on this machine, for demos and tests.

Each node and worker is its own ``hubdeck`` process on the shared PostgreSQL and Redis, exactly
as in production (docs/deployment.md); the balancer is a round-robin TCP proxy, enough for
HTTP and WebSocket alike since no node needs sticky sessions. A process that dies is reported
and not restarted: the others carry on, which is what the fault tests look at.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import sys
from dataclasses import dataclass, field

import httpx
import structlog

from hubdeck.config import Settings

log = structlog.get_logger(__name__)

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
# Bytes read at once by the balancer from either side.
CHUNK = 65536


@dataclass(frozen=True)
class ClusterPlan:
    nodes: int
    workers: int
    host: str
    port: int
    node_port: int
    metrics_port: int


@dataclass
class Member:
    role: str  # "node" or "worker"
    number: int
    port: int
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def describe(self) -> dict[str, object]:
        return {
            "role": self.role,
            "number": self.number,
            "url": self.url,
            "pid": None if self.process is None else self.process.pid,
        }


@dataclass
class Balancer:
    """Round-robin over the nodes; a node that refuses the connection is skipped."""

    backends: list[tuple[str, int]]
    _turn: itertools.count[int] = field(default_factory=itertools.count)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        start = next(self._turn)
        for step in range(len(self.backends)):
            host, port = self.backends[(start + step) % len(self.backends)]
            try:
                upstream = await asyncio.open_connection(host, port)
                break
            except OSError:
                continue
        if upstream is None:
            writer.close()
            return
        up_reader, up_writer = upstream
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def _command(member: Member, plan: ClusterPlan) -> list[str]:
    base = [sys.executable, "-m", "hubdeck"]
    if member.role == "node":
        return [
            *base,
            *("serve", "--no-background", "--host", plan.host, "--port", str(member.port)),
        ]
    return [*base, "worker", "--metrics-host", plan.host, "--metrics-port", str(member.port)]


async def _ready(member: Member) -> None:
    path = "/readyz" if member.role == "node" else "/healthz"
    async with httpx.AsyncClient(timeout=1.0) as client, asyncio.timeout(READY_TIMEOUT):
        while True:
            assert member.process is not None
            if member.process.returncode is not None:
                raise RuntimeError(f"{member.role} {member.number} exited while starting")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(member.url + path)).status_code == 200:
                    return
            await asyncio.sleep(0.2)


async def run_cluster(plan: ClusterPlan, settings: Settings) -> int:
    members = [Member("node", n + 1, plan.node_port + n) for n in range(plan.nodes)] + [
        Member("worker", n + 1, plan.metrics_port + n) for n in range(plan.workers)
    ]
    env = dict(os.environ)
    # Links in e-mails and OAuth redirects point at the balancer, not at one node.
    env.setdefault("HUBDECK_PUBLIC_URL", f"http://{plan.host}:{plan.port}")
    # Every process must encrypt and sign with the same key.
    env["HUBDECK_SECRET_KEY"] = settings.resolved_secret_key()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    server: asyncio.Server | None = None
    try:
        for member in members:
            member.process = await asyncio.create_subprocess_exec(*_command(member, plan), env=env)
        await asyncio.gather(*(_ready(m) for m in members))
        balancer = Balancer([(plan.host, m.port) for m in members if m.role == "node"])
        server = await asyncio.start_server(balancer.handle, plan.host, plan.port)
        status = {
            "balancer": f"http://{plan.host}:{plan.port}",
            "members": [m.describe() for m in members],
        }
        # One line a script (or a test) can read; the processes' own logs follow.
        print(json.dumps(status), flush=True)
        log.info("cluster.ready", balancer=status["balancer"], nodes=plan.nodes)
        watchers = [asyncio.create_task(_watch(m)) for m in members]
        await stop.wait()
        for watcher in watchers:
            watcher.cancel()
        return 0
    except (RuntimeError, TimeoutError) as error:
        log.error("cluster.start_failed", error=str(error))
        return 1
    finally:
        if server is not None:
            server.close()
        await _stop_all(members)


async def _watch(member: Member) -> None:
    assert member.process is not None
    code = await member.process.wait()
    log.warning("cluster.member_exited", role=member.role, number=member.number, code=code)


async def _stop_all(members: list[Member]) -> None:
    running = [m.process for m in members if m.process and m.process.returncode is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
