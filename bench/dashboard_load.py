"""Dashboard load: a dashboard of 12 widgets over 20 repositories, opened by 50 viewers at once,
cold and warm, with HubDeck's compute cache and, in the same run, without it.

    python bench/dashboard_load.py            # 20 repositories x 60 items, 50 viewers
    python bench/dashboard_load.py --quick    # 20 x 30 items, 20 viewers: about a minute

Each widget reads 5 of the 20 repositories (a different slice each), as a team's dashboard
mixes views of a few repositories; together they cover all 20.

A viewer's load is what the page does: the snapshot, then the 12 widgets' data in one
request; its time is from the first request to the last answer. Each round, all viewers load
together.
The data comes from the GitHub simulator, synced into SQLite before HubDeck starts; HubDeck runs
in this process (uvicorn, in memory) so that database statements (an SQLAlchemy event) and
widget computations can be counted. Then a pull request is merged in the simulator and synced:
the next round shows which widgets were computed again, and how often.

Prints a table, then one JSON object on its last line. The figures that matter are ratios within
the run (without the cache / with it), since wall-clock time depends on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from sqlalchemy import event
from sqlalchemy.engine import Engine

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.github import ETagStore, GitHubClient
from hubdeck.adapters.memory import MemoryCache
from hubdeck.app import create_app
from hubdeck.config import Settings
from hubdeck.core.clock import SystemClock
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE
from hubdeck.logs import configure_logging
from hubdeck.runtime import Runtime
from hubdeck.services.events import EventBus
from hubdeck.services.ingest import Ingest
from hubdeck.services.sync import SyncService
from hubdeck.simulator import SimulatorConfig
from hubdeck.simulator.app import Simulator

TOKEN = "ghp_dashboard_bench"  # noqa: S105 (a made-up simulator token)
STATEMENTS = 0


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_: object) -> None:
    global STATEMENTS
    STATEMENTS += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve(app: Any, port: int, **options: Any) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            # Loads without the cache take longer than uvicorn's 5 s keep-alive: a pooled
            # connection closed by the server as the client reuses it would fail the request.
            timeout_keep_alive=300,
            backlog=4096,
            **options,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def seed(github_url: str, simulator: Simulator, database: str) -> tuple[int, int, int]:
    """Sync every repository into the database; a user and a team that follows them all."""
    await migrate.upgrade(database)
    engine = create_engine(database)
    store = DbGitHubStore(engine)
    github = GitHubClient(github_url, etags=ETagStore(MemoryCache()))
    sync = SyncService(github, Ingest(store, EventBus(), SystemClock()))
    user = await DbUserStore(engine).add("alice")
    teams = DbTeamStore(engine)
    team = await teams.create("bench", "Bench", None, user.id)
    org = simulator.config.org_login
    names = sorted(r.name for r in simulator.store.repos.values() if r.owner == org)
    for name in names:
        repository = (await github.get_repository(org, name, token=TOKEN)).value
        stored, _ = await store.upsert_repository(repository, None)
        await sync.sync(stored.id, TOKEN)
        await teams.follow(team.id, stored.id, user.id)
    await github.aclose()
    await engine.dispose()
    return user.id, team.id, len(names)


async def load(client: httpx.AsyncClient, dashboard: int) -> float:
    started = time.perf_counter()
    snapshot = await client.get(f"/api/dashboards/{dashboard}")
    snapshot.raise_for_status()
    widgets = [w["id"] for w in snapshot.json()["widgets"]]
    # As the page does: the widgets it shows, in one request (features/dashboards/queries.ts).
    answer = await client.get(
        f"/api/dashboards/{dashboard}/widgets/data", params={"ids": ",".join(widgets)}
    )
    answer.raise_for_status()
    assert len(answer.json()["widgets"]) == len(widgets)
    return (time.perf_counter() - started) * 1000


async def round_of(
    clients: list[httpx.AsyncClient], dashboard: int, runtime: Runtime
) -> dict[str, Any]:
    statements, computed = STATEMENTS, runtime.widget_data.computations
    times = await asyncio.gather(*(load(client, dashboard) for client in clients))
    viewers = len(clients)
    return {
        "times": list(times),
        "statements_per_load": (STATEMENTS - statements) / viewers,
        "computations": runtime.widget_data.computations - computed,
    }


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    times = [t for r in rounds for t in r["times"]]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "statements_per_load": round(statistics.mean(r["statements_per_load"] for r in rounds), 1),
        "computations_per_load": round(
            sum(r["computations"] for r in rounds) / (len(rounds) * len(rounds[0]["times"])), 3
        ),
    }


async def measure(
    settings: Settings,
    user_id: int,
    team_id: int,
    viewers: int,
    rounds: int,
    simulator_url: str,
    dashboard: int | None,
) -> tuple[dict[str, Any], int]:
    app = create_app(settings, background=False)
    server, task = await serve(app, port := free_port())
    url = f"http://127.0.0.1:{port}"
    runtime: Runtime = app.state.runtime
    session = await runtime.authenticator.sign_in(user_id)
    headers = {"Origin": url, "X-CSRF-Token": runtime.authenticator.csrf_token(session)}
    cookies = {INSECURE_SESSION_COOKIE: session}
    limits = httpx.Limits(max_connections=viewers * 13)
    clients = [
        httpx.AsyncClient(
            base_url=url, cookies=cookies, headers=headers, timeout=120, limits=limits
        )
        for _ in range(viewers)
    ]
    owner = clients[0]
    if dashboard is None:
        templates = (await owner.get("/api/dashboard-templates")).json()["templates"]
        overview = next(t for t in templates if t["id"] == "team-overview")
        created = await owner.post(
            "/api/dashboards",
            json={"team_id": team_id, "title": "Bench", "template": "pull-request-flow"},
        )
        created.raise_for_status()
        board = created.json()
        extra = [w for w in overview["widgets"] if w["type"] in ("timeseries", "bar", "heatmap")]
        repositories = sorted(r.id for r in await runtime.teams.repositories(team_id, user_id))
        ops: list[dict[str, Any]] = [
            {
                "op": "add_widget",
                "widget": {**w, "id": f"extra{i}", "layout": {**w["layout"], "y": 20 + 4 * i}},
            }
            for i, w in enumerate(extra[:3])
        ]
        snapshot = (await owner.get(f"/api/dashboards/{board['id']}")).json()
        ids = [w["id"] for w in snapshot["widgets"]] + [f"extra{i}" for i in range(3)]
        # Widget i reads 5 repositories from the (5i mod 20)th on: every repository is read
        # by 3 of the 12 widgets.
        ops += [
            {
                "op": "set",
                "target": widget_id,
                "path": "config.repositories",
                "value": [repositories[(5 * i + k) % len(repositories)] for k in range(5)],
            }
            for i, widget_id in enumerate(ids)
        ]
        added = await owner.post(
            f"/api/dashboards/{board['id']}/ops",
            json={"base_version": board["version"], "client_op_id": "bench", "ops": ops},
        )
        added.raise_for_status()
        dashboard = int(board["id"])
    widgets = len((await owner.get(f"/api/dashboards/{dashboard}")).json()["widgets"])

    cold = await round_of(clients, dashboard, runtime)
    warm = [await round_of(clients, dashboard, runtime) for _ in range(rounds)]
    # What each widget reads, to tell which ones a merge should recompute.
    reads = {
        w["id"]: set(w["config"]["repositories"])
        for w in (await owner.get(f"/api/dashboards/{dashboard}")).json()["widgets"]
    }
    result: dict[str, Any] = {"widgets": widgets, "cold": summary([cold]), "warm": summary(warm)}

    # A pull request merged on GitHub, synced through this HubDeck's own event bus: the next
    # round shows which widgets are computed again, and how many times.
    async with httpx.AsyncClient(base_url=simulator_url) as gh:
        step = (await gh.post("/_simulator/activity/step", json={"action": "merge_pull"})).json()
    merged = step["steps"][0].get("repository")
    if merged:
        github = GitHubClient(simulator_url, etags=ETagStore(MemoryCache()))
        sync = SyncService(github, runtime.ingest)
        followed = await runtime.teams.repositories(team_id, user_id)
        target = next(r for r in followed if r.repository.full_name == merged)
        await sync.sync(target.id, TOKEN)
        await github.aclose()
        after = await round_of(clients, dashboard, runtime)
        result["after_merge"] = {
            "repository": merged,
            **summary([after]),
            "widgets_computed": after["computations"],
            "widgets_reading_it": sum(1 for read in reads.values() if target.id in read),
        }
    for client in clients:
        await client.aclose()
    server.should_exit = True
    await task
    return result, dashboard


async def run(quick: bool, viewers: int, rounds: int) -> dict[str, Any]:
    items = 30 if quick else 60
    sim_port = free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    simulator = Simulator(
        SimulatorConfig(
            base_url=sim_url,
            repos=20,
            private_repos=0,
            issues_per_repo=items // 2,
            pulls_per_repo=items - items // 2,
            rate_limit_per_hour=1_000_000,
        )
    )
    sim_server, sim_task = await serve(simulator.app, sim_port, ws="none")
    simulator.store.issue_token(
        "alice", ("repo", "read:org"), now=simulator.clock.now(), value=TOKEN
    )
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        user_id, team_id, repositories = await seed(sim_url, simulator, database)
        seeded = time.perf_counter() - started
        dashboard = None
        # Without the cache every load computes all 12 widgets: one warm round says enough.
        for mode, cache, warm_rounds in (("cache", True, rounds), ("no_cache", False, 1)):
            settings = Settings(
                data_dir=Path(tmp) / mode,
                database_url=database,
                secret_key="bench-secret-key-of-enough-length-for-hs256",  # noqa: S106
                log_json=False,
                log_level="warning",
                compute_cache=cache,
                rate_limits=False,
                gc_tuning=False,
                github_api_url=sim_url,
                github_web_url=sim_url,
            )
            results[mode], dashboard = await measure(
                settings, user_id, team_id, viewers, warm_rounds, sim_url, dashboard
            )
    sim_server.should_exit = True
    await sim_task
    cache, off = results["cache"], results["no_cache"]
    return {
        "benchmark": "dashboard_load",
        "repositories": repositories,
        "items_per_repository": items,
        "viewers": viewers,
        "rounds": rounds,
        "seed_seconds": round(seeded, 1),
        **results,
        "warm_p99_speedup": round(off["warm"]["p99_ms"] / cache["warm"]["p99_ms"], 2),
        "warm_p50_speedup": round(off["warm"]["p50_ms"] / cache["warm"]["p50_ms"], 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 x 30 items, 20 viewers")
    parser.add_argument("--viewers", type=int, default=None, help="default 50 (20 with --quick)")
    parser.add_argument("--rounds", type=int, default=None, help="warm rounds")
    args = parser.parse_args()
    configure_logging("warning", json=False)
    rounds = args.rounds or (3 if args.quick else 5)
    viewers = args.viewers or (20 if args.quick else 50)
    result = asyncio.run(run(args.quick, viewers, rounds))
    print(f"{'':10} {'':6} {'p50 ms':>8} {'p99 ms':>8} {'SQL/load':>9} {'computed/load':>14}")
    for mode in ("cache", "no_cache"):
        for phase in ("cold", "warm", "after_merge"):
            row = result[mode].get(phase)
            if row is None:
                continue
            print(
                f"{mode:10} {phase:12} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
                f"{row['statements_per_load']:9.1f} {row['computations_per_load']:14.3f}"
            )
    merged = result["cache"].get("after_merge", {})
    print(
        f"warm p99 without the cache / with it: ×{result['warm_p99_speedup']}; after a merge in "
        f"{merged.get('repository')}, {merged.get('widgets_computed')} widget computations for "
        f"{result['viewers']} viewers of {result['cache']['widgets']} widgets, "
        f"{merged.get('widgets_reading_it')} of which read that repository"
    )
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
