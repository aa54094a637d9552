"""Sync cost: a cold sync of many repositories through the GitHub simulator, then warm re-syncs.

    python bench/sync.py            # 50 repositories x 200 issues and pull requests
    python bench/sync.py --quick    # 10 x 40, done in well under a minute

Prints a table, then one JSON object on its last line. The figures that matter are ratios
within the run (warm quota / cold quota, share of 304 answers), since wall-clock time depends on
the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.github import ETagStore, GitHubClient
from hubdeck.adapters.memory import MemoryCache
from hubdeck.core.clock import SystemClock
from hubdeck.logs import configure_logging
from hubdeck.services.events import EventBus
from hubdeck.services.ingest import Ingest
from hubdeck.services.sync import SyncService
from hubdeck.simulator import SimulatorConfig
from hubdeck.simulator.app import Simulator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def stats(client: httpx.AsyncClient) -> dict[str, Any]:
    data: dict[str, Any] = (await client.get("/_simulator/stats")).json()
    return data


async def run(repos: int, items: int) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    simulator = Simulator(
        SimulatorConfig(
            base_url=url,
            repos=repos,
            private_repos=0,
            issues_per_repo=items // 2,
            pulls_per_repo=items - items // 2,
            # The cold pass alone exceeds one token's 5,000 an hour; quota is what is measured.
            rate_limit_per_hour=1_000_000,
        )
    )
    server = uvicorn.Server(
        uvicorn.Config(simulator.app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
        await asyncio.sleep(0.02)
    token = "ghp_bench_token"  # noqa: S105 (a made-up simulator token)
    simulator.store.issue_token(
        "alice", ("repo", "read:org"), now=simulator.clock.now(), value=token
    )
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await migrate.upgrade(database)
        engine = create_engine(database)
        store = DbGitHubStore(engine)
        github = GitHubClient(url, etags=ETagStore(MemoryCache()))
        sync = SyncService(github, Ingest(store, EventBus(), SystemClock()))
        org = simulator.config.org_login
        names = sorted(r.name for r in simulator.store.repos.values() if r.owner == org)
        ids = []
        for name in names:
            stored, _ = await store.upsert_repository(
                (await github.get_repository(org, name, token=token)).value, None
            )
            ids.append(stored.id)

        passes: dict[str, dict[str, Any]] = {}
        async with httpx.AsyncClient(base_url=url) as admin:
            for label in ("cold", "warm", "steady"):
                await admin.post("/_simulator/stats/reset")
                started = time.perf_counter()
                reports = [await sync.sync(repository_id, token) for repository_id in ids]
                elapsed = time.perf_counter() - started
                counted = await stats(admin)
                passes[label] = {
                    "seconds": round(elapsed, 2),
                    "requests": counted["requests"],
                    "not_modified": counted["not_modified"],
                    "quota": sum(counted["quota_spent"].values()),
                    "objects_saved": sum(r.objects_saved for r in reports),
                    "events": sum(r.events for r in reports),
                }
        await github.aclose()
        await engine.dispose()
    server.should_exit = True
    await serving

    cold, warm, steady = passes["cold"], passes["warm"], passes["steady"]
    return {
        "benchmark": "sync",
        "repositories": len(ids),
        "items_per_repository": items,
        "cold": cold,
        "warm": warm,
        "steady": steady,
        "warm_quota_ratio": round(warm["quota"] / cold["quota"], 4),
        "warm_304_share": round(warm["not_modified"] / max(warm["requests"], 1), 3),
        "steady_304_share": round(steady["not_modified"] / max(steady["requests"], 1), 3),
        "warm_time_ratio": round(warm["seconds"] / cold["seconds"], 3),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {_cores()} cores",
    }


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 repositories x 40 items")
    parser.add_argument("--repos", type=int)
    parser.add_argument("--items", type=int, help="issues + pull requests per repository")
    args = parser.parse_args()
    configure_logging("warning", json=False)
    repos = args.repos or (10 if args.quick else 50)
    items = args.items or (40 if args.quick else 200)
    result = asyncio.run(run(repos, items))
    for label in ("cold", "warm", "steady"):
        p = result[label]
        print(
            f"{label:>6}: {p['seconds']:>7.2f} s  {p['requests']:>6} requests  "
            f"{p['not_modified']:>6} x 304  quota {p['quota']:>6}  saved {p['objects_saved']:>6}"
        )
    print(
        f"warm quota / cold quota = {result['warm_quota_ratio']:.2%}; "
        f"304 share warm {result['warm_304_share']:.0%}, steady {result['steady_304_share']:.0%}"
    )
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
