"""Rate-limit pool: HubDeck's pool against naive token use, on the GitHub simulator.

    python bench/pool.py            # longer phases (about two minutes)
    python bench/pool.py --quick    # short phases; under a minute

Two HubDeck processes (``bench/pool_harness.py``: the real ``PoolService`` and pooled client)
share one Redis; four simulated users (user 0 a bulk syncer with three times the others'
backlog) each have their own token; the team shares a GitHub App installation and two machine
tokens with together the same quota as the four members' tokens. Naive use: two processes too,
each background request on the next member token in turn (round-robin), each interactive
request on its user's own token, ETags kept per token, no coalescing, no affinity, no quota
bookkeeping (a refusal is counted and the request given up).

Phase A (quota): small quotas, cold URLs (every one a paid 200) more than the quota holds, plus
warm re-polls of unchanged resources. Reports the share of the quota used before the first
wait for a reset, 403/429 responses, requests saved by 304s and by coalescing, and Jain's
fairness index over the cold requests served per user.

Phase B (latency): a large quota, GitHub-like latency and secondary limits (concurrency per
token); two processes saturate with background sync while interactive requests (several users
opening the same pages at once) arrive ten times a second. Reports the interactive requests'
wait for a credential and their whole latency, p50 and p99.

Prints a table and, as its last line, one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
import structlog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.pool_harness import Shared, open_pool  # noqa: E402

from hubdeck.adapters.github import ETagStore, GitHubClient  # noqa: E402
from hubdeck.adapters.memory import MemoryCache  # noqa: E402
from hubdeck.core.github.errors import GitHubError  # noqa: E402
from hubdeck.core.pool.model import PoolLimits, Priority  # noqa: E402

USERS = 4
BULK = 3  # user 0's backlog, in multiples of the others'


def jain(values: list[float]) -> float | None:
    if not values or not any(values):
        return None
    return sum(values) ** 2 / (len(values) * sum(v * v for v in values))


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# -- workers (one process each) ---------------------------------------------------------------
async def run_worker(config: dict[str, Any]) -> dict[str, Any]:
    if config["mode"] == "pooled":
        return await pooled_worker(config)
    return await naive_worker(config)


def user_work(config: dict[str, Any]) -> dict[int, list[str]]:
    return {int(k): v for k, v in config["work"].items()}


async def drive(
    config: dict[str, Any],
    background: Any,
    interactive: Any,
) -> dict[str, Any]:
    """Run every user's backlog (``concurrency`` loops per process) and, in phase B, the
    interactive requests, until done or the deadline."""
    work = user_work(config)
    served: dict[int, int] = dict.fromkeys(work, 0)
    latencies: list[float] = []
    refusals = {"primary": 0, "secondary": 0, "other": 0}
    queues: dict[int, asyncio.Queue[str]] = {}
    for user, urls in work.items():
        queues[user] = asyncio.Queue()
        for url in urls:
            queues[user].put_nowait(url)

    def refused(error: GitHubError) -> None:
        name = type(error).__name__
        key = {"RateLimited": "primary", "SecondaryRateLimited": "secondary"}.get(name, "other")
        refusals[key] += 1

    async def loop(user: int) -> None:
        # The deadline is checked, not enforced by cancelling: a cancelled httpx request can
        # swallow the cancellation and let the loop go on.
        while time.perf_counter() < stop:
            try:
                url = queues[user].get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await background(user, url)
                if "per_page" in url:
                    served[user] += 1
            except GitHubError as error:
                refused(error)

    running: set[asyncio.Task[None]] = set()

    async def viewers() -> None:
        hot = config.get("hot", [])
        if not hot:
            return
        rng = random.Random(config["seed"])
        while True:
            await asyncio.sleep(0.1)
            url = rng.choice(hot)
            # two or three people open the same page at once
            people = rng.sample(list(work), k=min(len(work), rng.choice([2, 3])))

            async def view(user: int, path: str = url) -> None:
                started = time.perf_counter()
                try:
                    await interactive(user, path)
                    latencies.append(time.perf_counter() - started)
                except GitHubError as error:
                    refused(error)

            for user in people:
                task = asyncio.create_task(view(user))
                running.add(task)
                task.add_done_callback(running.discard)

    started = time.perf_counter()
    stop = started + config["deadline"]
    # Each user syncs with ``concurrency`` loops; the bulk user with BULK times as many, as a
    # big sync started by one person would.
    loops = [
        asyncio.create_task(loop(user))
        for user in work
        for _ in range(config["concurrency"] * (BULK if user == 0 else 1))
    ]
    viewer = asyncio.create_task(viewers())
    _, pending = await asyncio.wait(loops, timeout=config["deadline"])
    elapsed = time.perf_counter() - started
    if pending:  # requests already sent finish; those waiting for quota are given up
        _, pending = await asyncio.wait(pending, timeout=2.0)
    for task in [*pending, viewer, *running]:
        task.cancel()
    for task in [*pending, viewer, *running]:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return {
        "served": served,
        "latencies": latencies,
        "refusals": refusals,
        "seconds": elapsed,
        "left": sum(q.qsize() for q in queues.values()),
    }


async def pooled_worker(config: dict[str, Any]) -> dict[str, Any]:
    shared = [Shared(**s) for s in config["shared"]]
    members = {u: f"user{u}" for u in range(USERS)}
    # Members' own tokens serve their own (interactive) requests; the team's background sync
    # of phase A runs on the shared credentials alone, so both sides have the same quota.
    tokens = {int(u): t for u, t in config["member_tokens"].items()} if config["hot"] else {}
    async with open_pool(
        config["sim_url"],
        shared=shared,
        members=members,
        member_tokens=tokens,
        redis_url=config["redis_url"],
        prefix=config["prefix"],
        limits=PoolLimits(**config["limits"]),
    ) as harness:
        repository = config["repository"]

        async def background(user: int, url: str) -> None:
            await harness.get(harness.need(user, repository), url)

        async def interactive(user: int, url: str) -> None:
            need = harness.need(user, repository, interactive=True, purpose="page")
            await harness.get(need, url)

        result = await drive(config, background, interactive)
        counters = harness.pool.counters
        result["waits"] = counters.waits.get(int(Priority.interactive), [])
        result["counters"] = counters.as_json()
    return result


async def naive_worker(config: dict[str, Any]) -> dict[str, Any]:
    tokens = {int(u): t for u, t in config["member_tokens"].items()}
    order = [tokens[u] for u in sorted(tokens)]
    turn = iter(range(10**9))
    client = GitHubClient(
        config["sim_url"],
        etags=ETagStore(MemoryCache()),
        max_retries=0,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
    )
    not_modified = 0
    async with client:

        async def background(user: int, url: str) -> None:
            nonlocal not_modified
            token = order[next(turn) % len(order)]
            answer = await client.get(url, token=token)
            not_modified += answer.not_modified

        async def interactive(user: int, url: str) -> None:
            nonlocal not_modified
            answer = await client.get(url, token=tokens[user])
            not_modified += answer.not_modified

        result = await drive(config, background, interactive)
    result["waits"] = []
    result["counters"] = {"coalesced": 0, "not_modified": not_modified}
    return result


# -- orchestration ----------------------------------------------------------------------------
async def start_simulator(options: dict[str, Any]) -> tuple[str, Any, asyncio.Task[None]]:
    import socket

    import uvicorn

    from hubdeck.simulator import Simulator, SimulatorConfig

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    sim = Simulator(SimulatorConfig(base_url=url, **options))
    server = uvicorn.Server(
        uvicorn.Config(sim.app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event for it)
        await asyncio.sleep(0.02)
    return url, server, task


async def admin(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(path, json=body)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


async def run_phase(
    name: str, mode: str, sim_options: dict[str, Any], work: dict[str, Any], redis_url: str
) -> dict[str, Any]:
    url, server, task = await start_simulator(sim_options)
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            logins = ["alice", "bob", "carol", "dave", "erin", "frank"]
            member_tokens = {
                u: (await admin(http, "/_simulator/tokens", {"login": logins[u]}))["token"]
                for u in range(USERS)
            }
            app = await admin(http, "/_simulator/apps", {"slug": "hubdeck-bench"})
            installed = await admin(http, f"/_simulator/apps/{app['id']}/installations", {})
            machines = [
                (await admin(http, "/_simulator/tokens", {"login": login}))["token"]
                for login in ("erin", "frank")
            ]
            repos = sorted(
                r["full_name"]
                for r in (
                    await http.get(
                        "/orgs/acme/repos", headers={"Authorization": f"Bearer {machines[0]}"}
                    )
                ).json()
                if not r["private"]
            )
            await http.post("/_simulator/stats/reset")
        shared = [
            {
                "id": 1,
                "kind": "app",
                "secret": app["private_key"],
                "accounts": ["acme"],
                "app_id": app["id"],
                "installation_id": installed["id"],
            },
            {"id": 2, "kind": "service", "secret": machines[0], "accounts": ["acme"]},
            {"id": 3, "kind": "service", "secret": machines[1], "accounts": ["acme"]},
        ]
        prefix = f"hubdeck-bench-pool:{uuid.uuid4().hex[:8]}:"
        repo = repos[0]
        processes = []
        for part in range(2):
            mine = {u: work["urls"](u, part, repos) for u in range(USERS)}
            config = {
                "mode": mode,
                "sim_url": url,
                "redis_url": redis_url,
                "prefix": prefix,
                "shared": shared,
                "member_tokens": member_tokens,
                "repository": repo,
                "work": mine,
                "hot": work.get("hot", lambda r: [])(repos),
                "concurrency": work["concurrency"],
                "deadline": work["deadline"],
                "limits": work["limits"],
                "seed": part,
            }
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    __file__,
                    "--worker",
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
            )
            assert processes[-1].stdin is not None
            processes[-1].stdin.write(orjson.dumps(config, option=orjson.OPT_NON_STR_KEYS))
            processes[-1].stdin.close()
        results = []
        for process in processes:
            out = await process.stdout.read() if process.stdout else b""
            await process.wait()
            results.append(orjson.loads(out.decode().strip().splitlines()[-1]))
        await forget(redis_url, prefix)
        async with httpx.AsyncClient(base_url=url) as http:
            stats = (await http.get("/_simulator/stats")).json()
            per_token = sim_options["rate_limit_per_hour"]
            if mode == "pooled":
                quota = {
                    f"installation:{installed['id']}": sim_options[
                        "installation_rate_limit_per_hour"
                    ],
                    **dict.fromkeys(machines, per_token),
                }
            else:
                quota = dict.fromkeys(member_tokens.values(), per_token)
        return summarize(name, mode, results, stats, quota, member_tokens)
    finally:
        server.should_exit = True
        await task


async def forget(redis_url: str, prefix: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def summarize(
    name: str,
    mode: str,
    results: list[dict[str, Any]],
    stats: dict[str, Any],
    quota: dict[str, int],
    member_tokens: dict[int, str],
) -> dict[str, Any]:
    served = [sum(r["served"].get(str(u), 0) for r in results) for u in range(USERS)]
    latencies = [x for r in results for x in r["latencies"]]
    waits = [x for r in results for x in r["waits"]]
    spent = stats["quota_spent"]
    budget = sum(quota.values())
    used = sum(spent.get(key, 0) for key in quota)
    figure: dict[str, Any] = {
        "phase": name,
        "mode": mode,
        "quota": budget,
        "quota_used": used,
        "share_used": round(used / budget, 3) if budget else None,
        "primary_403": sum(stats["primary_limited_by_key"].values()),
        "secondary_403_429": sum(stats["secondary_limited_by_key"].values()),
        "max_secondary_per_credential": max(stats["secondary_limited_by_key"].values(), default=0),
        "lowest_remaining": min(stats["lowest_remaining"].values(), default=None),
        "not_modified": stats["not_modified"],
        "coalesced": sum(r["counters"].get("coalesced", 0) for r in results),
        "served_per_user": served,
        "jain": round(j, 3) if (j := jain([float(s) for s in served])) is not None else None,
        "interactive": len(latencies),
        "latency_p50": _ms(percentile(latencies, 0.5)),
        "latency_p99": _ms(percentile(latencies, 0.99)),
        "wait_p50": _ms(percentile(waits, 0.5)),
        "wait_p99": _ms(percentile(waits, 0.99)),
        "requests": stats["requests"],
        "worker_seconds": round(max(r["seconds"] for r in results), 1),
        "secondary_by_key": {k[:12]: v for k, v in stats["secondary_limited_by_key"].items()},
    }
    del member_tokens
    return figure


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def phase_a(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    per_member = 40 if quick else 100
    # Members' tokens: 4 x per_member. Shared: the installation 2 x, two machines 1 x each.
    sim = {
        "repos": 4,
        "private_repos": 1,
        "issues_per_repo": 5,
        "pulls_per_repo": 3,
        "history_days": 10,
        "rate_limit_per_hour": per_member,
        "installation_rate_limit_per_hour": 2 * per_member,
    }
    cold = int(per_member * 1.5)  # each user: more than a member token holds

    def urls(user: int, part: int, repos: list[str]) -> list[str]:
        mine = []
        count = cold * (BULK if user == 0 else 1)
        repo = repos[user % len(repos)]
        for k in range(count):
            mine.append(f"/repos/{repo}/issues?per_page={1 + (k * 2 + part) % 100}&u={user}&k={k}")
            if k % 3 == 0:  # warm re-polls of the user's repository
                suffix = ("", "/pulls", "/releases")[k % 9 // 3]
                mine.append(f"/repos/{repo}{suffix}")
        return mine

    work = {
        "urls": urls,
        "concurrency": 2,
        "deadline": 12.0 if quick else 30.0,
        "limits": {"max_concurrent": 4, "points_per_minute": 800},
    }
    return sim, work


def phase_b(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    sim = {
        "repos": 4,
        "private_repos": 1,
        "issues_per_repo": 5,
        "pulls_per_repo": 3,
        "history_days": 10,
        "rate_limit_per_hour": 5000,
        "installation_rate_limit_per_hour": 10000,
        "response_delay": 0.1,
        "secondary_max_concurrent": 6,
        "secondary_retry_after": 2,
    }

    def urls(user: int, part: int, repos: list[str]) -> list[str]:
        count = 2000
        repo = repos[user % len(repos)]
        return [
            f"/repos/{repo}/commits?per_page={1 + k % 100}&u={user}&p={part}&k={k}"
            for k in range(count)
        ]

    def hot(repos: list[str]) -> list[str]:
        return [f"/repos/{r}{s}" for r in repos[:2] for s in ("", "/pulls", "/issues")]

    work = {
        "urls": urls,
        "hot": hot,
        "concurrency": 3,
        "deadline": 6.0 if quick else 20.0,
        "limits": {"max_concurrent": 3, "points_per_minute": 800},
    }
    return sim, work


def table(figures: list[dict[str, Any]]) -> str:
    columns = [
        ("phase", "phase"),
        ("mode", "mode"),
        ("share_used", "quota used"),
        ("primary_403", "403 primary"),
        ("secondary_403_429", "403/429 secondary"),
        ("not_modified", "304s"),
        ("coalesced", "coalesced"),
        ("jain", "Jain"),
        ("wait_p50", "wait p50 ms"),
        ("wait_p99", "wait p99 ms"),
        ("latency_p50", "latency p50 ms"),
        ("latency_p99", "latency p99 ms"),
    ]
    lines = [" | ".join(title for _, title in columns)]
    for figure in figures:
        lines.append(" | ".join(str(figure.get(key)) for key, _ in columns))
    return "\n".join(lines)


async def orchestrate(quick: bool, redis_url: str) -> dict[str, Any]:
    figures = []
    only = os.environ.get("HUBDECK_BENCH_PHASE")
    for name, shape in (("A", phase_a), ("B", phase_b)):
        if only and name != only:
            continue
        sim, work = shape(quick)
        for mode in ("pooled", "naive"):
            figures.append(await run_phase(name, mode, sim, work, redis_url))
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "quick": quick,
        "figures": figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--redis", default=os.environ.get("HUBDECK_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        # Logs to stderr: stdout carries the result line alone.
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
        result = asyncio.run(run_worker(orjson.loads(sys.stdin.buffer.read())))
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_NON_STR_KEYS).decode() + "\n")
        return
    started = time.perf_counter()
    report = asyncio.run(orchestrate(args.quick, args.redis))
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(table(report["figures"]))
    print(orjson.dumps(report).decode())


if __name__ == "__main__":
    main()
