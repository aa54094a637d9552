"""HTTP API under load: the pages' read endpoints at fixed arrival rates, on one HubDeck process.

    python bench/http_load.py                   # 20 repositories x 60 items; 50-400 req/s, 20 s
    python bench/http_load.py --quick           # 8 x 30; 50, 200, 400 req/s, 4 s each
    python bench/http_load.py --stack scaleout  # PostgreSQL + Redis instead of SQLite + memory

A real `hubdeck serve` (one process; rate limits off: HUBDECK_RATE_LIMITS=false, since one
session sending hundreds of requests a second is what they exist to stop; the compute cache
on, as deployed) wired to a real `hubdeck simulator`. Alice signs in through the simulator's
OAuth page, her team follows every repository of the organization (HubDeck syncs them), and
a dashboard of 12 widgets over them is made as in bench/dashboard_load.py.

The load: the read endpoints the pages call, in turn (an equal share each): the repository
list, a repository, its metrics, the team's metrics, the activity feed, the notifications, the
dashboards list, a dashboard and its widgets' data in one request. Two client processes
(bench/http_load_client.py: httpx, HTTP/1.1 keep-alive pools, uvloop) send them at a fixed
rate, open loop: each request starts when due whatever the others are doing, and its latency
counts from then, so a server that falls behind shows its queue. The same rates against
GET /healthz of the same server, in the same run, are the baseline (the cost of HTTP, uvicorn
and the middleware on this machine); figures are also given as ratios to it.

Why not wrk or locust: wrk is not installed here, and wrk (like locust's default users) is
closed-loop, which hides queueing; locust's machinery costs more CPU per request than these two
small processes, and the generator's CPU comes out of the two cores the server runs on.

Prints a table, then one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serve_stack import (
    CpuMeter,
    Stack,
    machine,
    percentile,
    running_stack,
)

CLIENTS = 2
CONNECTIONS = 16  # per client process (see Generator.start)
TIMEOUT = 10.0
GOAL_MS = 100.0


async def make_dashboard(stack: Stack) -> tuple[int, list[str]]:
    """The dashboard of bench/dashboard_load.py: "Pull-request flow" and three widgets of "Team
    overview", each reading 5 of the followed repositories."""
    client = stack.client
    templates = (await client.get("/api/dashboard-templates")).json()["templates"]
    overview = next(t for t in templates if t["id"] == "team-overview")
    created = await client.post(
        "/api/dashboards",
        json={"team_id": stack.team_id, "title": "Bench", "template": "pull-request-flow"},
    )
    created.raise_for_status()
    board = created.json()
    extra = [w for w in overview["widgets"] if w["type"] in ("timeseries", "bar", "heatmap")]
    repositories = sorted(stack.repositories.values())
    ops: list[dict[str, Any]] = [
        {
            "op": "add_widget",
            "widget": {**w, "id": f"extra{i}", "layout": {**w["layout"], "y": 20 + 4 * i}},
        }
        for i, w in enumerate(extra[:3])
    ]
    ids = [w["id"] for w in board["widgets"]] + [f"extra{i}" for i in range(len(ops))]
    ops += [
        {
            "op": "set",
            "target": widget_id,
            "path": "config.repositories",
            "value": [repositories[(5 * i + k) % len(repositories)] for k in range(5)],
        }
        for i, widget_id in enumerate(ids)
    ]
    added = await client.post(
        f"/api/dashboards/{board['id']}/ops",
        json={"base_version": board["version"], "client_op_id": "bench", "ops": ops},
    )
    added.raise_for_status()
    return int(board["id"]), ids


def read_requests(stack: Stack, dashboard: int, widgets: list[str]) -> list[list[str]]:
    """The pages' reads, one of each endpoint in turn, the repository ones going round the
    followed repositories."""
    team = stack.team_id
    requests: list[list[str]] = []
    for repository in sorted(stack.repositories.values()):
        base = f"/api/teams/{team}/repositories/{repository}"
        requests += [
            ["repositories", f"/api/teams/{team}/repositories"],
            ["repository", base],
            ["repository_metrics", f"{base}/metrics?days=30&tz=UTC"],
            ["team_metrics", f"/api/teams/{team}/metrics?days=30&tz=UTC"],
            ["activity", f"/api/teams/{team}/activity?limit=30"],
            ["notifications", "/api/notifications?limit=20&archived=false"],
            ["dashboards", "/api/dashboards"],
            ["dashboard", f"/api/dashboards/{dashboard}"],
            ["widgets_data", f"/api/dashboards/{dashboard}/widgets/data?ids={','.join(widgets)}"],
        ]
    return requests


class Generator:
    """The client processes, driven phase by phase over their stdin and stdout."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self) -> None:
        # 16 connections a process, 32 in all: one server process works on one request at a
        # time, so more would only queue inside it instead of in the client, where the wait is
        # counted just the same; and httpx checks every idle connection of its pool (a system
        # call each) before each request, which at 64 made the generator the bottleneck.
        setup = {
            "base_url": self.stack.url,
            "cookies": dict(self.stack.client.cookies.items()),
            "timeout": TIMEOUT,
            "connections": CONNECTIONS,
            "warm_path": "/healthz",
        }
        script = str(Path(__file__).with_name("http_load_client.py"))
        for _ in range(CLIENTS):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                script,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            assert process.stdin is not None
            process.stdin.write(orjson.dumps(setup) + b"\n")
            self.processes.append(process)

    def pids(self) -> dict[str, int]:
        return {f"client{i}": p.pid for i, p in enumerate(self.processes)}

    async def run(self, rate: float, seconds: float, requests: list[list[str]]) -> dict[str, Any]:
        """``rate`` requests a second in all, the processes' schedules interleaved."""
        await self.quiet()
        meter = CpuMeter({**self.stack.pids(), **self.pids()})
        start_at = time.time() + 0.5
        for index, process in enumerate(self.processes):
            assert process.stdin is not None
            command = {
                "rate": rate / CLIENTS,
                "seconds": seconds,
                "requests": requests,
                "start_at": start_at,
                "offset": index / CLIENTS,
                "first": index * len(requests) // CLIENTS,
            }
            process.stdin.write(orjson.dumps(command) + b"\n")
        parts = []
        for process in self.processes:
            assert process.stdout is not None
            parts.append(orjson.loads(await process.stdout.readline()))
        return summarize(rate, seconds, parts, meter.read())

    async def quiet(self, within: float = 30.0) -> None:
        """Until HubDeck is idle: after an overloaded phase it still works through requests
        whose clients have given up, which would weigh on the next phase."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            meter = CpuMeter({"hubdeck": self.stack.hubdeck.pid})
            await asyncio.sleep(0.5)
            if meter.read()["hubdeck"] < 0.15:
                return

    async def stop(self) -> None:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.close()
        for process in self.processes:
            await process.wait()


def figures(latencies: list[float]) -> dict[str, Any]:
    return {
        "count": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5) or 0.0, 1),
        "p99_ms": round(percentile(latencies, 0.99) or 0.0, 1),
        "max_ms": round(max(latencies, default=0.0), 1),
    }


def summarize(
    rate: float, seconds: float, parts: list[dict[str, Any]], cpu: dict[str, float]
) -> dict[str, Any]:
    names = sorted({name for part in parts for name in [*part["latencies"], *part["errors"]]})
    endpoints: dict[str, Any] = {}
    every: list[float] = []
    errors = 0
    for name in names:
        values = [v for part in parts for v in part["latencies"].get(name, [])]
        failed: dict[str, int] = {}
        for part in parts:
            for kind, n in part["errors"].get(name, {}).items():
                failed[kind] = failed.get(kind, 0) + n
        every += values
        errors += sum(failed.values())
        endpoints[name] = {**figures(values), "errors": failed}
    lags = [v for part in parts for v in part["lag_ms"]]
    clients = [round(part["cpu_seconds"] / part["seconds"], 3) for part in parts]
    scheduled = sum(part["scheduled"] for part in parts)
    achieved = len(every) / max(part["seconds"] for part in parts)
    return {
        "rate": rate,
        "seconds": seconds,
        "scheduled": scheduled,
        "achieved_per_s": round(achieved, 1),
        # HubDeck's CPU per answered request: the figure least moved by the machine's other load
        # (background work, such as the syncs a repository's page view asks for, included).
        "hubdeck_cpu_ms_per_request": round(cpu["hubdeck"] / achieved * 1000, 2)
        if achieved
        else None,
        "overall": {**figures(every), "errors": errors},
        "endpoints": endpoints,
        # How late the generator started requests: large values would mean it, not the server,
        # was the bottleneck (the latencies include this lag either way).
        "send_lag_p99_ms": round(percentile(lags, 0.99) or 0.0, 2),
        "client_cpu_cores": clients,
        "cpu_cores": cpu,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    quick: bool = args.quick
    repos, items = (8, 30) if quick else (20, 60)
    rates = args.rates or ([50, 200, 400] if quick else [50, 100, 200, 300, 400])
    seconds = args.seconds or (4.0 if quick else 20.0)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        async with running_stack(
            Path(tmp),
            stack=args.stack,
            repos=repos,
            issues=items // 2,
            pulls=items - items // 2,
            settings={"HUBDECK_RATE_LIMITS": "false"},
        ) as stack:
            dashboard, widgets = await make_dashboard(stack)
            requests = read_requests(stack, dashboard, widgets)
            setup_seconds = time.perf_counter() - started
            health = [["healthz", "/healthz"]]
            generator = Generator(stack)
            await generator.start()
            try:
                # Connections opened and every cached computation made before measuring.
                await generator.run(20, max(2.0, len(requests) / 20), requests)
                await generator.run(50, 1.0, health)
                results = []
                for rate in rates:
                    baseline = await generator.run(rate, seconds, health)
                    main = await generator.run(rate, seconds, requests)
                    results.append({"rate": rate, "baseline": baseline, "main": main})
                    print_rate(results[-1], file=sys.stderr)
            finally:
                await generator.stop()
    return report(args, quick, repos, items, seconds, setup_seconds, results)


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 1) if b else None


def report(
    args: argparse.Namespace,
    quick: bool,
    repos: int,
    items: int,
    seconds: float,
    setup_seconds: float,
    results: list[dict[str, Any]],
) -> dict[str, Any]:
    over = next((r["rate"] for r in results if r["main"]["overall"]["p99_ms"] > GOAL_MS), None)
    at = {r["rate"]: r for r in results}
    key = at.get(200)
    rates = []
    for r in results:
        main, base = r["main"], r["baseline"]
        rates.append(
            {
                "rate": r["rate"],
                "main": main,
                "baseline": {k: v for k, v in base.items() if k != "endpoints"},
                "p99_over_baseline": ratio(main["overall"]["p99_ms"], base["overall"]["p99_ms"]),
                "p50_over_baseline": ratio(main["overall"]["p50_ms"], base["overall"]["p50_ms"]),
            }
        )
    return {
        "benchmark": "http_load",
        "stack": args.stack,
        "quick": quick,
        "repositories": repos,
        "items_per_repository": items,
        "seconds_per_rate": seconds,
        "setup_seconds": round(setup_seconds, 1),
        "rate_limits": False,
        "compute_cache": True,
        "client_processes": CLIENTS,
        "rates": rates,
        "first_rate_p99_over_100ms": over,
        "p99_ms_at_200": None if key is None else key["main"]["overall"]["p99_ms"],
        "p99_over_baseline_at_200": None
        if key is None
        else ratio(key["main"]["overall"]["p99_ms"], key["baseline"]["overall"]["p99_ms"]),
        "max_client_cpu_cores": max(max(r["main"]["client_cpu_cores"]) for r in results),
        # Where the server keeps up (every rate it served in full), its CPU per read.
        "hubdeck_cpu_ms_per_read": {
            f"{r['rate']:g}": r["main"]["hubdeck_cpu_ms_per_request"] for r in results
        },
        **machine(),
    }


def print_rate(r: dict[str, Any], file: Any = sys.stdout) -> None:
    main, base = r["main"], r["baseline"]
    cpu = main["cpu_cores"]
    print(
        f"{r['rate']:>4} req/s  healthz p50 {base['overall']['p50_ms']:7.1f} p99 "
        f"{base['overall']['p99_ms']:7.1f} | reads p50 {main['overall']['p50_ms']:7.1f} p99 "
        f"{main['overall']['p99_ms']:7.1f} ms, {main['overall']['errors']} errors, "
        f"{main['achieved_per_s']}/s done | CPU hubdeck {cpu['hubdeck']:.2f} clients "
        f"{'+'.join(f'{c:.2f}' for c in main['client_cpu_cores'])} other "
        f"{cpu['other_programs']:.2f} | send lag p99 {main['send_lag_p99_ms']} ms | hubdeck CPU "
        f"{main['hubdeck_cpu_ms_per_request']} ms/read, "
        f"{base['hubdeck_cpu_ms_per_request']} ms/healthz",
        file=file,
        flush=True,
    )


def print_table(result: dict[str, Any]) -> None:
    names = sorted(result["rates"][0]["main"]["endpoints"])
    print(f"{'endpoint':20}" + "".join(f"{r['rate']:>9}/s p50 /p99" for r in result["rates"]))
    for name in [*names, "overall"]:
        cells = []
        for r in result["rates"]:
            row = r["main"]["overall"] if name == "overall" else r["main"]["endpoints"][name]
            cells.append(f"{row['p50_ms']:>10.1f} /{row['p99_ms']:>7.1f}")
        print(f"{name:20}" + "".join(cells))
    cells = [
        f"{r['baseline']['overall']['p50_ms']:>10.1f} /{r['baseline']['overall']['p99_ms']:>7.1f}"
        for r in result["rates"]
    ]
    print(f"{'healthz (baseline)':20}" + "".join(cells))
    print(
        f"first rate with overall p99 > {GOAL_MS:.0f} ms: {result['first_rate_p99_over_100ms']}; "
        f"p99 at 200 req/s: {result['p99_ms_at_200']} ms "
        f"(×{result['p99_over_baseline_at_200']} the baseline's)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 x 30 items; 3 rates, 4 s each")
    parser.add_argument("--stack", choices=["embedded", "scaleout"], default="embedded")
    parser.add_argument("--rates", type=float, nargs="+", help="requests per second")
    parser.add_argument("--seconds", type=float, help="per rate and per mix")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print_table(result)
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
