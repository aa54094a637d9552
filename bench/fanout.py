"""Fan-out: N WebSocket clients on one channel; HubDeck against python-socketio and a bare loop.

    python bench/fanout.py            # N = 100, 1,000, 5,000; HubDeck (in memory and on Redis,
                                      # and at 5,000 two nodes on Redis), python-socketio, the
                                      # Starlette loop; about 7 minutes
    python bench/fanout.py --quick    # N = 100 and 1,000, no Redis, short windows; under a minute
    python bench/fanout.py --gc tuned # the same with gc.set_threshold(100_000, 50, 100) in
                                      # every server (ARCHITECTURE §4); the default is CPython's

Each server runs in its own process (uvicorn, one worker, no compression), started afresh for
every N, so that memory is measured from a clean process. The same client worker processes
(fanout_client.py: raw WebSocket connections, each speaking its server's protocol minimally)
serve all servers. Publications are produced inside the server process by a bench route
(fanout_server.py), as HubDeck's own events are, and carry their send time.

For one N, every server is started and given its N subscribed clients; then, in rounds, each
server in turn runs a latency window and a saturation window (one at a time; the others sit
idle). Interleaving spreads the machine's drift, and other programs' load, over all servers.
Latency windows last long enough for at least 25 publications per server and N over all
rounds (at 1 event/s, one slow fan-out out of a handful would decide p99). During them the
client workers run at niceness 10 (``--client-nice``): when a client and the server want the
same core, the server mostly goes first, as it would with its clients on other machines. (At
19 the clients, starved by other programs, missed HubDeck's pongs, 3 s after each ping.)

"hubdeck-redis-2-nodes" (at the largest N only): two HubDeck processes sharing Redis (one
prefix) and a data directory; the clients are split evenly over them and the publishing loop
runs in the first, so every publication reaches the second through Redis. Compared with the
one-node Redis figures of the same run.

Figures per server and N:
  deliveries/s   publications received per second by all clients together while the server
                 publishes as fast as it delivers (after a fifth of the window as ramp-up);
                 the median of the rounds, with their range
  per CPU-s      the same deliveries per CPU-second of the server process: the steadier
                 figure when other programs take CPU from the server ("server CPU" is the
                 share of a core the server got; "CPU taken by other programs" is printed)
  in GC          share of the server's CPU time spent in the garbage collector (gc.callbacks)
  p50 / p99      publish → receive latency at a fixed rate (10 events/s up to 1,000 clients,
                 1 event/s above), ``time.time()`` in the payload against the client's clock
                 when the frame is read (same machine); all rounds' samples pooled
  arrival        the same to the kernel's receive timestamp of the bytes (SO_TIMESTAMPNS):
                 when the server's write reached the client's socket. The server's part
                 alone; the difference is the client processes' own wait to read
  KiB/conn       (server RSS with N connected − RSS with none) / N, from /proc/<pid>/status,
                 before anything is published to the N

Prints a table, the ratios of HubDeck's figures to the baselines' and the goals, then, as its
last line, one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import redis

from fanout_common import raise_open_files_limit

BENCH_DIR = Path(__file__).resolve().parent
WARM_UP_CONNECTIONS = 10
BUCKETS_PER_SECOND = 10  # the clients' receive counts are kept per 100 ms


@dataclass(frozen=True)
class ServerKind:
    name: str
    app: str  # fanout_server.py --kind
    dialect: str  # fanout_client.py protocol
    redis: bool = False
    nodes: int = 1  # processes sharing Redis; the clients are split evenly across them


HUBDECK = ServerKind("hubdeck", "hubdeck", "centrifuge")
HUBDECK_REDIS = ServerKind("hubdeck-redis", "hubdeck", "centrifuge", redis=True)
HUBDECK_CLUSTER = ServerKind("hubdeck-redis-2-nodes", "hubdeck", "centrifuge", redis=True, nodes=2)
SOCKETIO = ServerKind("socketio", "socketio", "socketio")
LOOP = ServerKind("starlette", "starlette", "plain")
ALL_SERVERS = (HUBDECK, HUBDECK_REDIS, HUBDECK_CLUSTER, SOCKETIO, LOOP)


@dataclass(frozen=True)
class Plan:
    sizes: Sequence[int]
    servers: Sequence[ServerKind]
    rounds: int
    saturation_seconds: float  # per round
    latency_seconds: float  # per round, at least
    min_publications: int  # in the latency windows of all rounds: longer windows at low rates
    rate: float | None  # events/s for the latency run; None: 10 up to 1,000 clients, else 1
    payload_size: int
    gc: str
    client_processes: int
    client_nice: int  # the client workers' niceness during latency windows; 0: as the servers
    batch: int
    redis_url: str

    def rate_for(self, n: int) -> float:
        if self.rate is not None:
            return self.rate
        return 10.0 if n <= 1000 else 1.0

    def servers_at(self, n: int) -> list[ServerKind]:
        """A cluster only at the largest N: it is about splitting many clients over nodes."""
        return [s for s in self.servers if s.nodes == 1 or n == max(self.sizes)]

    def latency_seconds_for(self, n: int) -> float:
        # At 1 event/s a 2 s window holds 2 publications; one slow fan-out would decide p99.
        return max(self.latency_seconds, self.min_publications / self.rate_for(n) / self.rounds)


# --- processes ---------------------------------------------------------------------------------


class ClientPool:
    """The client worker processes, started once and used for every server and N."""

    def __init__(self) -> None:
        self._workers: list[asyncio.subprocess.Process] = []

    @property
    def pids(self) -> list[int]:
        return [worker.pid for worker in self._workers]

    async def start(self, count: int) -> None:
        for _ in range(count):
            self._workers.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    str(BENCH_DIR / "fanout_client.py"),
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    limit=1 << 26,  # latency samples come back as one long line
                )
            )

    def renice(self, niceness: int) -> None:
        for pid in self.pids:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)

    def may_renice(self) -> bool:
        """Lowering a priority is always allowed; raising it back needs CAP_SYS_NICE."""
        try:
            self.renice(1)
            self.renice(0)
        except PermissionError:
            return False
        return True

    async def stop(self) -> None:
        for worker in self._workers:
            assert worker.stdin is not None
            worker.stdin.close()
        for worker in self._workers:
            try:
                await asyncio.wait_for(worker.wait(), 10)
            except TimeoutError:
                worker.kill()
                await worker.wait()

    async def _call(self, worker: asyncio.subprocess.Process, cmd: dict[str, Any]) -> Any:
        assert worker.stdin is not None
        assert worker.stdout is not None
        worker.stdin.write(orjson.dumps(cmd) + b"\n")
        await worker.stdin.drain()
        line = await worker.stdout.readline()
        if not line:
            raise RuntimeError("a client worker exited")
        return orjson.loads(line)

    async def call_all(self, cmds: Sequence[dict[str, Any]]) -> list[Any]:
        return list(await asyncio.gather(*map(self._call, self._workers, cmds)))

    async def broadcast(self, cmd: dict[str, Any]) -> list[Any]:
        return await self.call_all([cmd] * len(self._workers))

    async def connect(self, n: int, **params: Any) -> dict[str, Any]:
        """Open ``n`` connections spread over the workers; all connect at the same time."""
        workers = len(self._workers)
        shares = [n // workers + (1 if i < n % workers else 0) for i in range(workers)]
        started = time.perf_counter()
        answers = await self.call_all(
            [{"cmd": "connect", "count": share, **params} for share in shares]
        )
        return {
            "connected": sum(a["connected"] for a in answers),
            "failed": sum(a["failed"] for a in answers),
            "errors": [e for a in answers for e in a["errors"]][:5],
            "seconds": round(time.perf_counter() - started, 2),
        }

    async def received(self, group: str) -> int:
        answers = await self.broadcast({"cmd": "received", "group": group})
        return sum(a["received"] for a in answers)

    async def settle(self, group: str, expected: int, limit: float) -> None:
        """Wait until the clients have everything, or nothing arrived for half a second."""
        deadline = time.monotonic() + limit
        last, still_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now_received = await self.received(group)
            if now_received >= expected:
                return
            if now_received != last:
                last, still_since = now_received, time.monotonic()
            elif time.monotonic() - still_since > 0.5:
                return
            await asyncio.sleep(0.05)


class ServerProcess:
    """One server under test: one process, or for a cluster kind several ``hubdeck`` nodes
    sharing Redis (one prefix) and one data directory (database, secret key), the first
    seeding it and running the publishing loop."""

    def __init__(self, kind: ServerKind, plan: Plan) -> None:
        self.kind = kind
        self.plan = plan
        self.ports = [_free_port() for _ in range(kind.nodes)]
        self.port = self.ports[0]
        self.redis_prefix = f"hubdeck-fanout-bench:{uuid.uuid4().hex[:12]}:"
        self.info: dict[str, Any] = {}
        self._processes: list[asyncio.subprocess.Process] = []
        self._data_dir: str | None = None
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def _environment(self) -> dict[str, str]:
        # Nothing of the caller's HubDeck configuration leaks in; Redis only when asked for.
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
        if self.kind.redis:
            env["HUBDECK_REDIS_URL"] = self.plan.redis_url
            env["HUBDECK_REDIS_PREFIX"] = self.redis_prefix
        return env

    async def start(self) -> None:
        shared: list[str] = []
        if self.kind.nodes > 1:
            self._data_dir = tempfile.mkdtemp(prefix="hubdeck-fanout-cluster-")
            shared = ["--data-dir", self._data_dir]
        for index, port in enumerate(self.ports):
            # The first node creates the database, the secret key and the seed; then the rest.
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(BENCH_DIR / "fanout_server.py"),
                "--kind",
                self.kind.app,
                "--port",
                str(port),
                "--gc",
                self.plan.gc,
                *shared,
                *(["--no-seed"] if index else []),
                env=self._environment(),
                stdout=sys.stderr,  # stdout is the benchmark's report
            )
            self._processes.append(process)
            info = await self._wait_ready(process, port)
            if not index:
                self.info = info

    async def _wait_ready(self, process: asyncio.subprocess.Process, port: int) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"{self.kind.name} server exited at start-up")
                try:
                    info: dict[str, Any] = (
                        (await http.get("/_bench/info")).raise_for_status().json()
                    )
                    return info
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.1)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self._processes]

    def rss_kib(self) -> int:
        total = 0
        for pid in self.pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def cpu_seconds(self) -> float:
        """User and system CPU time of all the nodes so far."""
        ticks = 0
        for pid in self.pids:
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    async def publish(self, rate: float, duration: float) -> dict[str, Any]:
        params = {"rate": rate, "duration": duration, "size": self.plan.payload_size}
        cpu_before = self.cpu_seconds()
        response = await self.http.post("/_bench/publish", params=params, timeout=duration + 120)
        result: dict[str, Any] = response.raise_for_status().json()
        if self.kind.nodes > 1:
            # The publishing node measures only itself; every node's CPU over the whole call,
            # in proportion to the measured part of it, stands in for the window's.
            call = result["ended"] - result["started"]
            window = result["ended"] - result["window_start"]
            share = window / call if call > 0 else 0.0
            result["window_cpu"] = (self.cpu_seconds() - cpu_before) * share
        return result

    async def stop(self) -> None:
        await self.http.aclose()
        for process in reversed(self._processes):
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        if self._data_dir is not None:
            shutil.rmtree(self._data_dir, ignore_errors=True)
        if self.kind.redis:
            _delete_redis_keys(self.plan.redis_url, self.redis_prefix)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _delete_redis_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def redis_available(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


# --- measurements ------------------------------------------------------------------------------


@dataclass
class Result:
    """One server at one N; windows of every round pooled (latency) or summarised (median)."""

    server: str
    n: int
    rate: float
    connected: int = 0
    connect_seconds: float = 0.0
    connect_failures: int = 0
    kib_per_connection: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    arrival_p50_ms: float | None = None  # the same to the kernel's receive timestamp
    arrival_p99_ms: float | None = None
    latency_publications: int = 0  # publications in the latency windows, all rounds
    latency_delivered: float | None = None  # share of the expected publications received
    deliveries_per_second: float | None = None  # median over rounds
    deliveries_per_second_range: list[float] = field(default_factory=list)
    deliveries_per_cpu_second: float | None = None  # per CPU-second of the server process
    server_cpu: float | None = None  # the server's CPU share during saturation (1 = a core)
    gc_share: float | None = None  # of the server's CPU time at saturation, in the collector
    full_collections_per_second: float | None = None  # generation-2 collections
    publications_per_second: float | None = None
    saturation_delivered: float | None = None
    disconnects: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Raw material, per round; left out of the report.
    samples: list[float] = field(default_factory=list, repr=False)
    arrival_samples: list[float] = field(default_factory=list, repr=False)
    rates: list[float] = field(default_factory=list, repr=False)
    per_cpu: list[float] = field(default_factory=list, repr=False)
    cpu_shares: list[float] = field(default_factory=list, repr=False)
    gc_shares: list[float] = field(default_factory=list, repr=False)
    full_collections: list[float] = field(default_factory=list, repr=False)
    publish_rates: list[float] = field(default_factory=list, repr=False)
    counts: dict[str, int] = field(default_factory=dict, repr=False)

    def count(self, key: str, value: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + value

    def summarise(self) -> None:
        if self.samples:
            samples = sorted(self.samples)
            self.p50_ms = round(statistics.median(samples), 1)
            self.p99_ms = round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 1)
            self.max_ms = round(samples[-1], 1)
        if self.arrival_samples:
            arrivals = sorted(self.arrival_samples)
            self.arrival_p50_ms = round(statistics.median(arrivals), 1)
            self.arrival_p99_ms = round(
                arrivals[min(len(arrivals) - 1, int(len(arrivals) * 0.99))], 1
            )
        if self.rates:
            self.deliveries_per_second = round(statistics.median(self.rates))
            self.deliveries_per_second_range = [round(min(self.rates)), round(max(self.rates))]
            self.deliveries_per_cpu_second = round(statistics.median(self.per_cpu))
            self.server_cpu = round(statistics.median(self.cpu_shares), 2)
            self.gc_share = round(statistics.median(self.gc_shares), 3)
            self.full_collections_per_second = round(statistics.median(self.full_collections), 1)
            self.publications_per_second = round(statistics.median(self.publish_rates), 1)
        c = self.counts
        if c.get("latency_expected"):
            self.latency_delivered = round(c["latency_received"] / c["latency_expected"], 4)
        if c.get("saturation_expected"):
            self.saturation_delivered = round(
                c["saturation_received"] / c["saturation_expected"], 4
            )

    def figures(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in _RAW}


_RAW = {
    "server",
    "n",
    "samples",
    "arrival_samples",
    "rates",
    "per_cpu",
    "cpu_shares",
    "gc_shares",
    "full_collections",
    "publish_rates",
    "counts",
}


async def measure_size(n: int, plan: Plan, pool: ClientPool) -> tuple[dict[str, Result], float]:
    """Every server at one N: all started and connected, then rounds in which each in turn
    runs a latency window and a saturation window. Interleaving spreads the machine's drift
    (other programs, thermal) over all servers instead of charging it to one.

    Returns the results and the CPU that other programs used meanwhile, in cores."""
    servers = [ServerProcess(kind, plan) for kind in plan.servers_at(n)]
    results = {s.kind.name: Result(s.kind.name, n, plan.rate_for(n)) for s in servers}
    try:
        await asyncio.gather(*(s.start() for s in servers))
        for server in servers:
            await _connect(server, n, plan, pool, results[server.kind.name])
        live = [s for s in servers if results[s.kind.name].connected]
        others = OtherLoad([pid for s in servers for pid in s.pids] + pool.pids)
        for round_ in range(plan.rounds):
            # A different server goes first each round.
            for server in live[round_ % len(live) :] + live[: round_ % len(live)]:
                result = results[server.kind.name]
                await _latency(server, pool, plan, result)
                await _saturation(server, pool, plan, result)
        other_cores = others.cores()
    finally:
        await pool.broadcast({"cmd": "close"})
        await asyncio.gather(*(s.stop() for s in servers))
    for result in results.values():
        result.summarise()
    return results, other_cores


async def _connect(
    server: ServerProcess, n: int, plan: Plan, pool: ClientPool, result: Result
) -> None:
    group = server.kind.name
    params = {
        "group": group,
        "ports": server.ports,
        "dialect": server.kind.dialect,
        "token": server.info["token"],
        "channel": server.info["channel"],
        "batch": plan.batch,
    }
    # A few connections and publications first, so that the "empty" RSS already holds what
    # the first connection loads once (modules, caches) and is not charged to N.
    await pool.connect(WARM_UP_CONNECTIONS, **params)
    await server.publish(rate=50, duration=0.1)
    await pool.broadcast({"cmd": "close", "group": group})
    rss_empty = server.rss_kib()
    connect = await pool.connect(n, **params)
    result.connected = connect["connected"]
    result.connect_seconds = connect["seconds"]
    result.connect_failures = connect["failed"]
    result.errors = connect["errors"]
    if result.connected:
        await asyncio.sleep(0.3)  # the last subscribes' garbage is collected, buffers settle
        result.kib_per_connection = round((server.rss_kib() - rss_empty) / result.connected, 1)


async def _latency(server: ServerProcess, pool: ClientPool, plan: Plan, result: Result) -> None:
    group = server.kind.name
    await pool.broadcast({"cmd": "reset", "group": group, "latency": True})
    # The server before the clients when they want the same core: on two cores shared with
    # them, the clients would otherwise take from the server what, deployed, runs elsewhere.
    pool.renice(plan.client_nice)
    try:
        published = await server.publish(
            rate=result.rate, duration=plan.latency_seconds_for(result.n)
        )
        expected = published["published"] * result.connected
        await pool.settle(group, expected, limit=10)
    finally:
        pool.renice(0)
    stats = await pool.broadcast({"cmd": "stats", "group": group})
    result.samples.extend(x for s in stats for x in s["latencies_ms"])
    result.arrival_samples.extend(x for s in stats for x in s["arrival_ms"])
    result.latency_publications += published["published"]
    result.count("latency_expected", expected)
    result.count("latency_received", sum(s["received"] for s in stats))
    _note_disconnects(result, stats)


async def _saturation(server: ServerProcess, pool: ClientPool, plan: Plan, result: Result) -> None:
    group = server.kind.name
    await pool.broadcast({"cmd": "reset", "group": group, "latency": False})
    published = await server.publish(rate=0, duration=plan.saturation_seconds)
    expected = published["published"] * result.connected
    await pool.settle(group, expected, limit=15)
    stats = await pool.broadcast({"cmd": "stats", "group": group})
    start, end = published["window_start"], published["ended"]
    received = _received_in(stats, start, end)
    result.rates.append(received / (end - start))
    cpu = published["window_cpu"]
    result.per_cpu.append(received / cpu if cpu else 0.0)
    result.cpu_shares.append(cpu / (end - start))
    result.gc_shares.append(published["window_gc"] / cpu if cpu else 0.0)
    result.full_collections.append(published["window_collections"][2] / (end - start))
    result.publish_rates.append(published["published"] / (end - published["started"]))
    result.count("saturation_expected", expected)
    result.count("saturation_received", sum(s["received"] for s in stats))
    _note_disconnects(result, stats)


def _received_in(stats: list[dict[str, Any]], start: float, end: float) -> float:
    """Receipts within [start, end], from the clients' 100 ms buckets; the two partial
    buckets at the edges count in proportion to their overlap."""
    total = 0.0
    for s in stats:
        for key, count in s["buckets"].items():
            low = int(key) / BUCKETS_PER_SECOND
            overlap = min(end, low + 1 / BUCKETS_PER_SECOND) - max(start, low)
            if overlap > 0:
                total += count * overlap * BUCKETS_PER_SECOND
    return total


def _note_disconnects(result: Result, stats: list[dict[str, Any]]) -> None:
    for s in stats:
        for code, count in s["close_codes"].items():
            result.disconnects[str(code)] = result.disconnects.get(str(code), 0) + count
        dropped = s["closed"] - sum(s["close_codes"].values())
        if dropped:
            result.disconnects["dropped"] = result.disconnects.get("dropped", 0) + dropped


class OtherLoad:
    """CPU used on this machine by processes other than the benchmark's, since creation."""

    def __init__(self, pids: list[int]) -> None:
        self._pids = [*pids, os.getpid()]
        self._started = time.monotonic()
        self._busy, self._ours = self._busy_ticks(), self._our_ticks()

    @staticmethod
    def _busy_ticks() -> int:
        # /proc/stat "cpu" line: user nice system idle iowait irq softirq steal ...
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields) - fields[3] - fields[4]

    def _our_ticks(self) -> int:
        total = 0
        for pid in self._pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def cores(self) -> float:
        elapsed = time.monotonic() - self._started
        others = (self._busy_ticks() - self._busy) - (self._our_ticks() - self._ours)
        return round(max(others, 0) / os.sysconf("SC_CLK_TCK") / elapsed, 2)


# --- report ------------------------------------------------------------------------------------

Results = dict[str, dict[int, Result]]


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else round(a / b, 2)


def ratios(results: Results, sizes: Sequence[int]) -> dict[str, Any]:
    """HubDeck's figures over each baseline's, per N: above 1 is more deliveries, but more
    latency and more memory."""
    out: dict[str, Any] = {}
    for name in (HUBDECK.name, HUBDECK_REDIS.name):
        for n in sizes:
            mine = results.get(name, {}).get(n)
            for base in (SOCKETIO.name, LOOP.name):
                other = results.get(base, {}).get(n)
                if mine is None or other is None:
                    continue
                out[f"{name}/{base}/{n}"] = {
                    "deliveries": _ratio(mine.deliveries_per_second, other.deliveries_per_second),
                    "deliveries_per_cpu": _ratio(
                        mine.deliveries_per_cpu_second, other.deliveries_per_cpu_second
                    ),
                    "p99": _ratio(mine.p99_ms, other.p99_ms),
                    "memory": _ratio(mine.kib_per_connection, other.kib_per_connection),
                }
    for n in sizes:
        cluster = results.get(HUBDECK_CLUSTER.name, {}).get(n)
        single = results.get(HUBDECK_REDIS.name, {}).get(n)
        if cluster is not None and single is not None:
            out[f"{HUBDECK_CLUSTER.name}/{HUBDECK_REDIS.name}/{n}"] = {
                "deliveries": _ratio(cluster.deliveries_per_second, single.deliveries_per_second),
                "deliveries_per_cpu": _ratio(
                    cluster.deliveries_per_cpu_second, single.deliveries_per_cpu_second
                ),
                "p50": _ratio(cluster.p50_ms, single.p50_ms),
                "p99": _ratio(cluster.p99_ms, single.p99_ms),
                "arrival_p99": _ratio(cluster.arrival_p99_ms, single.arrival_p99_ms),
            }
    return out


def goals(results: Results, sizes: Sequence[int], found: dict[str, Any]) -> dict[str, Any]:
    """The targets, as figures: in-memory HubDeck's deliveries ≥ 3× python-socketio's and
    ≥ 0.7 of the loop's at every N; p99 < 100 ms at 1,000 × 10/s and at 5,000 × 1/s."""
    out: dict[str, Any] = {}
    for n in sizes:
        for base, bound in ((SOCKETIO.name, 3.0), (LOOP.name, 0.7)):
            ratio = found.get(f"{HUBDECK.name}/{base}/{n}")
            if ratio is not None:
                value = ratio["deliveries"]
                out[f"deliveries_vs_{base}_{n}"] = {
                    "ratio": value,
                    "bound": bound,
                    "met": None if value is None else value >= bound,
                    "per_cpu_ratio": ratio["deliveries_per_cpu"],
                }
    for n, rate in ((1000, 10.0), (5000, 1.0)):
        mine = results.get(HUBDECK.name, {}).get(n)
        if mine is not None and mine.rate == rate and mine.p99_ms is not None:
            out[f"p99_{n}x{rate:g}"] = {"ms": mine.p99_ms, "bound": 100, "met": mine.p99_ms < 100}
        if mine is not None and mine.rate == rate and mine.arrival_p99_ms is not None:
            # The server's part alone: publish to the bytes in the client's socket.
            out[f"p99_arrival_{n}x{rate:g}"] = {
                "ms": mine.arrival_p99_ms,
                "bound": 100,
                "met": mine.arrival_p99_ms < 100,
            }
    return out


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(results: Results, sizes: Sequence[int]) -> list[str]:
    lines = [
        "| N | server | deliveries/s | (min–max) | per CPU-s | server CPU | in GC | pubs/s "
        "| p50 ms | p99 ms | arrival p50 | arrival p99 | at | pubs | KiB/conn | connect s "
        "| disconnects |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    for n in sizes:
        for kind in ALL_SERVERS:
            r = results.get(kind.name, {}).get(n)
            if r is None:
                continue
            spread = "–".join(f"{x / 1000:.0f}k" for x in r.deliveries_per_second_range)
            dropped = ", ".join(f"{k}×{v}" for k, v in sorted(r.disconnects.items())) or "none"
            if r.connect_failures:
                dropped += f"; {r.connect_failures} failed to connect"
            lines.append(
                f"| {n:,} | {r.server} | {_fmt(r.deliveries_per_second, ',.0f')} | {spread} "
                f"| {_fmt(r.deliveries_per_cpu_second, ',.0f')} | {_fmt(r.server_cpu, '.2f')} "
                f"| {_fmt(None if r.gc_share is None else r.gc_share * 100, '.0f')} % "
                f"| {_fmt(r.publications_per_second, ',.1f')} | {_fmt(r.p50_ms, '.1f')} "
                f"| {_fmt(r.p99_ms, '.1f')} | {_fmt(r.arrival_p50_ms, '.1f')} "
                f"| {_fmt(r.arrival_p99_ms, '.1f')} | {r.rate:g}/s | {r.latency_publications} "
                f"| {_fmt(r.kib_per_connection, '.1f')} "
                f"| {r.connect_seconds:.1f} | {dropped} |"
            )
    return lines


def ratio_lines(found: dict[str, Any], sizes: Sequence[int]) -> list[str]:
    lines = []
    for name in (HUBDECK.name, HUBDECK_REDIS.name):
        for n in sizes:
            sio = found.get(f"{name}/{SOCKETIO.name}/{n}")
            loop = found.get(f"{name}/{LOOP.name}/{n}")
            if sio is None or loop is None:
                continue
            lines.append(
                f"- {name}, N = {n:,}: deliveries ×{_fmt(sio['deliveries'], '.2f')} socketio, "
                f"{_fmt(loop['deliveries'], '.2f')} of the loop (per CPU-second "
                f"×{_fmt(sio['deliveries_per_cpu'], '.2f')}, "
                f"{_fmt(loop['deliveries_per_cpu'], '.2f')}); p99 ×{_fmt(sio['p99'], '.2f')} "
                f"socketio, ×{_fmt(loop['p99'], '.2f')} the loop; memory per connection "
                f"×{_fmt(sio['memory'], '.2f')} socketio, ×{_fmt(loop['memory'], '.2f')} the loop"
            )
    return lines


def cluster_lines(found: dict[str, Any], sizes: Sequence[int]) -> list[str]:
    lines = []
    for n in sizes:
        ratio = found.get(f"{HUBDECK_CLUSTER.name}/{HUBDECK_REDIS.name}/{n}")
        if ratio is None:
            continue
        lines.append(
            f"- N = {n:,}, two nodes over one: deliveries ×{_fmt(ratio['deliveries'], '.2f')} "
            f"(per CPU-second ×{_fmt(ratio['deliveries_per_cpu'], '.2f')}); p50 "
            f"×{_fmt(ratio['p50'], '.2f')}, p99 ×{_fmt(ratio['p99'], '.2f')}, arrival p99 "
            f"×{_fmt(ratio['arrival_p99'], '.2f')}"
        )
    return lines


def goal_lines(found: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in found.items():
        verdict = {True: "met", False: "NOT met", None: "not measured"}[value["met"]]
        if "ms" in value:
            figure = f"{value['ms']} ms (< {value['bound']} ms)"
        else:
            figure = (
                f"{_fmt(value['ratio'], '.2f')} (≥ {value['bound']:g}; per CPU-second "
                f"{_fmt(value['per_cpu_ratio'], '.2f')})"
            )
        lines.append(f"- {key}: {figure}: {verdict}")
    return lines


# --- main --------------------------------------------------------------------------------------


async def run(plan: Plan) -> tuple[Results, dict[str, Any]]:
    started = time.perf_counter()
    pool = ClientPool()
    await pool.start(plan.client_processes)
    if plan.client_nice and not pool.may_renice():
        print("fanout: cannot restore the clients' priority; --client-nice 0", file=sys.stderr)
        plan = dataclasses.replace(plan, client_nice=0)
    results: Results = {}
    other_load: dict[str, float] = {}
    try:
        for n in plan.sizes:
            print(f"fanout: N = {n:,} …", file=sys.stderr, flush=True)
            by_server, other_load[str(n)] = await measure_size(n, plan, pool)
            for name, result in by_server.items():
                results.setdefault(name, {})[n] = result
    finally:
        await pool.stop()
    found = ratios(results, plan.sizes)
    report = {
        "benchmark": "fanout",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "gc": plan.gc,
        "payload_bytes": plan.payload_size,
        "client_processes": plan.client_processes,
        "rounds": plan.rounds,
        "saturation_seconds": plan.saturation_seconds,
        "latency_seconds": {str(n): plan.latency_seconds_for(n) for n in plan.sizes},
        "client_nice": plan.client_nice,
        "sizes": list(plan.sizes),
        "other_load_cores": other_load,
        "results": {
            name: {str(n): r.figures() for n, r in by_n.items()} for name, by_n in results.items()
        },
        "ratios": found,
        "goals": goals(results, plan.sizes, found),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return results, report


def build_plan(args: argparse.Namespace) -> Plan:
    quick = args.quick
    sizes = args.sizes or ([100, 1000] if quick else [100, 1000, 5000])
    chosen = args.servers or [s.name for s in ALL_SERVERS if not (quick and s.redis)]
    servers = [s for s in ALL_SERVERS if s.name in chosen]
    if any(s.redis for s in servers) and not redis_available(args.redis_url):
        print(f"fanout: no Redis at {args.redis_url}; hubdeck-redis skipped", file=sys.stderr)
        servers = [s for s in servers if not s.redis]
    return Plan(
        sizes=sizes,
        servers=servers,
        rounds=args.rounds or (2 if quick else 5),
        saturation_seconds=args.saturation_seconds or (1.5 if quick else 2.0),
        latency_seconds=args.latency_seconds or (1.0 if quick else 2.0),
        min_publications=args.min_publications or (10 if quick else 25),
        rate=args.rate,
        payload_size=args.payload_size,
        gc=args.gc,
        client_processes=args.client_processes,
        client_nice=args.client_nice,
        batch=args.batch,
        redis_url=args.redis_url,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 100, 1000; no Redis; < 1 min")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of clients")
    names = [s.name for s in ALL_SERVERS]
    parser.add_argument("--servers", nargs="+", choices=names, help="default: all")
    parser.add_argument("--rounds", type=int, help="windows per server, interleaved")
    parser.add_argument("--saturation-seconds", type=float, help="per round")
    parser.add_argument("--latency-seconds", type=float, help="per round")
    parser.add_argument(
        "--min-publications",
        type=int,
        help="per server and N in the latency windows, all rounds (default 25; quick 10)",
    )
    parser.add_argument(
        "--rate", type=float, help="events/s in the latency runs (default: 10 up to N = 1,000, 1)"
    )
    parser.add_argument("--payload-size", type=int, default=300, help="bytes of JSON")
    parser.add_argument(
        "--gc",
        choices=("default", "tuned"),
        default="default",
        help="the same for every server: CPython's thresholds, or (100000, 50, 100)",
    )
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--client-nice",
        type=int,
        default=10,
        help="client workers' niceness in latency windows (0: the servers'; needs CAP_SYS_NICE)",
    )
    parser.add_argument("--batch", type=int, default=100, help="connections opened at once")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    raise_open_files_limit()
    plan = build_plan(args)
    results, report = asyncio.run(run(plan))
    print("\n".join(table(results, plan.sizes)))
    print()
    loads = ", ".join(f"N = {int(n):,}: {c:.2f}" for n, c in report["other_load_cores"].items())
    print(
        f"GC: {plan.gc} thresholds in the baselines; HubDeck as shipped (its start-up tuning, "
        f"HUBDECK_GC_TUNING, unless set to false). CPU taken by other programs (cores): {loads}"
    )
    print("Ratios (HubDeck / baseline):")
    print("\n".join(ratio_lines(report["ratios"], plan.sizes)))
    clustered = cluster_lines(report["ratios"], plan.sizes)
    if clustered:
        print("Two HubDeck nodes on Redis / one node on Redis:")
        print("\n".join(clustered))
    print("Goals:")
    print("\n".join(goal_lines(report["goals"])))
    print(f"Total: {report['seconds']:.0f} s")
    sys.stdout.write(orjson.dumps(report).decode() + "\n")


if __name__ == "__main__":
    main()
