"""A real `hubdeck serve` process wired to a real `hubdeck simulator` process, set up through
HubDeck's own HTTP API as a person does it, for the load and freshness benchmarks.

``running_stack`` starts both processes (the embedded stack: SQLite + memory; or the scale-out
stack: a database of its own on the PostgreSQL at 127.0.0.1:5432 and a key prefix of its own on
the Redis at 127.0.0.1:6379, both removed afterwards), signs in through the simulator's OAuth
page, creates a team for the organization, follows its repositories and waits for their first
sync. CPU accounting reads /proc, so that a run can say how much CPU each process and the other
programs on the machine took.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN = os.environ.get(
    "HUBDECK_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("HUBDECK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CLIENT_ID = "hubdeck-simulator"
CLIENT_SECRET = "hubdeck-simulator-secret"  # noqa: S105 (the simulator's built-in OAuth app)
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, every core together."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(values[:8])  # guest time is already counted in user
    idle = values[3] + values[4]
    return (total - idle) / TICK, total / TICK


def descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, and by those, and so on (Chromium's helpers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class CpuMeter:
    """CPU taken by each named process (or group of processes), and by everything else on the
    machine, over a window."""

    def __init__(self, pids: Mapping[str, int | Sequence[int]]) -> None:
        self.pids = {name: [p] if isinstance(p, int) else list(p) for name, p in pids.items()}
        self.started = time.monotonic()
        self.own = {name: self._cpu(name) for name in self.pids}
        self.machine = machine_cpu()

    def _cpu(self, name: str) -> float:
        return sum(process_cpu(pid) for pid in self.pids[name])

    def read(self) -> dict[str, float]:
        """Cores used on average in the window (1.0 = one core busy all the time)."""
        wall = max(time.monotonic() - self.started, 1e-6)
        busy, total = machine_cpu()
        shares = {name: (self._cpu(name) - self.own[name]) / wall for name in self.pids}
        machine = (busy - self.machine[0]) / wall
        shares["machine"] = machine
        shares["other_programs"] = max(0.0, machine - sum(shares[n] for n in self.pids))
        shares["cores"] = (total - self.machine[1]) / wall
        return {name: round(value, 3) for name, value in shares.items()}


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def spawn(name: str, args: list[str], env: dict[str, str], log: Path) -> Process:
    # Logs go to a file: an unread pipe would block the process once its buffer is full.
    with log.open("ab") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "hubdeck", *args], env=env, stdout=out, stderr=out
        )
    return Process(name, popen, log)


async def wait_ready(process: Process, url: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{process.name} did not become ready:\n{process.tail()}")


async def _postgres(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _delete_redis_keys(prefix: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
        for start in range(0, len(keys), 500):
            await client.delete(*keys[start : start + 500])
    finally:
        await client.aclose()


@dataclass
class Stack:
    url: str
    simulator_url: str
    hubdeck: Process
    simulator: Process
    stack: str
    client: httpx.AsyncClient  # signed in as the team's owner (cookie, CSRF header)
    team_id: int = 0
    repositories: dict[str, int] = field(default_factory=dict)  # full name -> HubDeck id

    def pids(self) -> dict[str, int]:
        return {"hubdeck": self.hubdeck.pid, "simulator": self.simulator.pid}


async def sign_in(url: str, login: str) -> httpx.AsyncClient:
    """Through the simulator's OAuth page, as the browser does: HubDeck's login redirect, the
    "Sign in as" link, the callback that sets the session and CSRF cookies."""
    client = httpx.AsyncClient(base_url=url, timeout=30)
    start = await client.get("/auth/github/login", params={"next": "/"})
    authorize = start.headers["location"]
    parts = urlsplit(authorize)
    query = [*parse_qsl(parts.query), ("login", login)]
    async with httpx.AsyncClient(timeout=30) as github:
        chosen = await github.get(parts._replace(query=urlencode(query)).geturl())
    callback = chosen.headers["location"]
    done = await client.get(callback)
    if done.status_code != 302 or "hubdeck_session" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {done.status_code} {done.text[:300]}")
    client.headers.update({"Origin": url, "X-CSRF-Token": client.cookies["hubdeck_csrf"]})
    return client


async def follow_all(stack: Stack, org: str, within: float = 180.0) -> None:
    """A team for the organization, following every repository of it; returns once all are
    synced (their first sync is HubDeck's own, from the simulator's REST API)."""
    client = stack.client
    team = await client.post("/api/teams", json={"name": "Bench", "github_org": org})
    team.raise_for_status()
    stack.team_id = int(team.json()["id"])
    candidates = (await client.get(f"/api/teams/{stack.team_id}/candidates")).json()
    for candidate in candidates:
        if candidate["full_name"].startswith(f"{org}/"):
            followed = await client.post(
                f"/api/teams/{stack.team_id}/repositories",
                json={"full_name": candidate["full_name"]},
            )
            followed.raise_for_status()
            stack.repositories[candidate["full_name"]] = int(followed.json()["id"])
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        rows = (await client.get(f"/api/teams/{stack.team_id}/repositories")).json()
        if rows and all(row["synced_at"] for row in rows):
            return
        await asyncio.sleep(0.3)
    raise TimeoutError(f"repositories not synced after {within} s:\n{stack.hubdeck.tail()}")


@contextlib.asynccontextmanager
async def running_stack(
    tmp: Path,
    *,
    stack: str = "embedded",
    repos: int = 5,
    issues: int = 20,
    pulls: int = 20,
    settings: dict[str, str] | None = None,
) -> AsyncIterator[Stack]:
    """Both processes, alice signed in, her team following every repository of ``acme``."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
    sim_port, port = free_port(), free_port()
    simulator_url, url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{port}"
    env = {
        **inherited,
        "HUBDECK_DATA_DIR": str(tmp / "data"),
        "HUBDECK_PUBLIC_URL": url,
        "HUBDECK_GITHUB_API_URL": simulator_url,
        "HUBDECK_GITHUB_WEB_URL": simulator_url,
        "HUBDECK_GITHUB_CLIENT_ID": CLIENT_ID,
        "HUBDECK_GITHUB_CLIENT_SECRET": CLIENT_SECRET,
        "HUBDECK_LOG_LEVEL": "warning",
        **(settings or {}),
    }
    database = redis_prefix = None
    if stack == "scaleout":
        database = f"hubdeck_bench_{uuid.uuid4().hex[:10]}"
        redis_prefix = f"hubdeck-bench:{uuid.uuid4().hex[:10]}:"
        await _postgres(f'CREATE DATABASE "{database}"')
        admin = urlsplit(POSTGRES_ADMIN)
        env["HUBDECK_DATABASE_URL"] = f"postgresql+asyncpg://{admin.netloc}/{database}"
        env["HUBDECK_REDIS_URL"] = REDIS_URL
        env["HUBDECK_REDIS_PREFIX"] = redis_prefix
    processes: list[Process] = []
    try:
        simulator = spawn(
            "simulator",
            [
                "simulator",
                "--port",
                str(sim_port),
                "--repos",
                str(repos),
                "--issues",
                str(issues),
                "--pulls",
                str(pulls),
                "--rate-limit",
                "10000000",
            ],
            inherited,
            tmp / "simulator.log",
        )
        processes.append(simulator)
        if database is not None:
            migrate = await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "hubdeck", "db", "upgrade"),
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            output, _ = await migrate.communicate()
            if migrate.returncode != 0:
                raise RuntimeError(output.decode()[-2000:])
        hubdeck = spawn("hubdeck", ["serve", "--port", str(port)], env, tmp / "hubdeck.log")
        processes.append(hubdeck)
        await wait_ready(simulator, simulator_url + "/_simulator/stats")
        await wait_ready(hubdeck, url + "/readyz")
        client = await sign_in(url, "alice")
        built = Stack(url, simulator_url, hubdeck, simulator, stack, client)
        try:
            await follow_all(built, "acme")
            yield built
        finally:
            await client.aclose()
    finally:
        for process in reversed(processes):
            process.stop()
        if database is not None:
            with contextlib.suppress(Exception):
                await _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if redis_prefix is not None:
            with contextlib.suppress(Exception):
                await _delete_redis_keys(redis_prefix)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def machine() -> dict[str, Any]:
    import platform

    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
    }
