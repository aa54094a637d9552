"""End-to-end freshness: from a change on GitHub to the page that shows it, with webhooks flowing.

    python bench/freshness.py                   # 1 webhook/s for 120 s, then 20/s for 60 s
    python bench/freshness.py --quick           # 1/s for 15 s, then 20/s for 15 s
    python bench/freshness.py --stack scaleout  # PostgreSQL + Redis instead of SQLite + memory

A real `hubdeck serve` (one process, rate limits off) and a real `hubdeck simulator`, set up
as in bench/http_load.py; the team's webhook secret is handed to the simulator, which then
signs and sends a webhook for every change. Headless Chromium (Playwright) signs in through
the simulator's OAuth page and keeps one repository's page open; a MutationObserver in the
page records Date.now() whenever
- a live event appears in the page's live strip ("alice merged #42": its type and number), and
- the "PRs merged" figure changes (the metrics, fetched again after a change).

This process makes the changes: activity steps through the simulator's control API
(POST /_simulator/activity/step), paced so that the simulator sends N webhooks a second
(a merge sends several: the pull request, the push, the workflow runs). A merge, a new issue
or a new pull request in the page's repository is a sample; its change time is the instant
the step was requested (this process's clock: the machine's, as the page's Date.now(); the
simulator's own timestamps are GitHub's, to the second). Freshness is the time from then to
the marker's first appearance in the DOM: for the k-th merge, the figure reaching its value
before the phase plus k. The simulator has two repositories, so that half the changes are
in the page's repository.

The low rate (1 webhook/s) is the baseline, measured in the same run. Prints a table, then
one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from playwright.async_api import Page, async_playwright, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serve_stack import (
    CpuMeter,
    Stack,
    descendants,
    machine,
    percentile,
    running_stack,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GOAL_MS = 2000.0
# What the page shows of a change, by the step that makes it.
SAMPLES = {
    "merge_pull": "pull_request.merged",
    "open_issue": "issue.opened",
    "open_pull": "pull_request.opened",
}
# The steps, in turn: changes the page shows, and what keeps merges possible (approvals);
# None is the simulator's own weighted choice (comments, labels, runs, stars...).
CYCLE: list[str | None] = [
    "merge_pull",
    "submit_review",
    "open_issue",
    None,
    "open_pull",
    "submit_review",
    None,
]
MERGED_CARD = '[data-testid="metric-card"][data-metric="merged-pulls"]'

# Runs in the page: when each live event (type and number) and each value of the "PRs merged"
# figure first appears. Callbacks run right after the DOM change, before the next paint.
OBSERVER = """
(mergedCard) => {
  const fresh = { events: {}, merged: [] };
  let present = new Set();
  let value = null;
  const scan = () => {
    const now = Date.now();
    const current = new Set();
    for (const el of document.querySelectorAll('[data-testid="live-event"]')) {
      const number = /#(\\d+)/.exec(el.textContent || '');
      if (number === null) continue;
      const key = `${el.getAttribute('data-type')} ${number[1]}`;
      current.add(key);
      if (!present.has(key)) (fresh.events[key] ??= []).push(now);
    }
    present = current;
    const card = document.querySelector(mergedCard);
    const next = card === null ? null : card.getAttribute('data-value');
    if (next !== null && next !== '' && next !== value) {
      value = next;
      fresh.merged.push([Number(next), now]);
    }
  };
  new MutationObserver(scan).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['data-value', 'data-type'],
  });
  scan();
  window.__fresh = fresh;
}
"""


async def open_viewer(page: Page, stack: Stack, repository_id: int) -> None:
    """Signed in as the e2e tests do (the simulator's OAuth page), on the repository's page
    with its live channel subscribed and its figures shown."""
    await page.goto(stack.url + "/")
    await page.get_by_test_id("signin-button").first.click()
    await page.get_by_role("link", name="Sign in as alice", exact=True).click()
    await expect(page.get_by_test_id("user-menu")).to_contain_text("alice", timeout=30_000)
    await page.goto(f"{stack.url}/teams/{stack.team_id}/repositories/{repository_id}")
    await expect(page.get_by_test_id("live-activity")).to_have_attribute(
        "data-state", "subscribed", timeout=30_000
    )
    await expect(page.locator(MERGED_CARD)).not_to_have_attribute("data-value", "", timeout=30_000)
    await page.evaluate(OBSERVER, MERGED_CARD)


async def drive(
    github: httpx.AsyncClient, rate: float, seconds: float, repository: str
) -> dict[str, Any]:
    """Steps of activity for ``seconds``, paced to ``rate`` webhooks a second; the samples."""
    samples: list[dict[str, Any]] = []
    round_trips: list[float] = []
    emitted = steps = 0
    started = time.perf_counter()
    while (due := started + emitted / rate) < started + seconds:
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        action = CYCLE[steps % len(CYCLE)]
        steps += 1
        at = time.time()
        answer = await github.post(
            "/_simulator/activity/step", json={} if action is None else {"action": action}
        )
        round_trips.append((time.time() - at) * 1000)
        step = answer.json()["steps"][0]
        sent = len(step["events"])
        if sent == 0:  # nothing possible right now (no approved pull request to merge)
            await asyncio.sleep(0.01)
        emitted += sent
        if (
            step.get("performed")
            and step["action"] in SAMPLES
            and step.get("repository") == repository
            and "number" in step
        ):
            samples.append(
                {
                    "action": step["action"],
                    "key": f"{SAMPLES[step['action']]} {step['number']}",
                    "at_ms": at * 1000,
                }
            )
    elapsed = time.perf_counter() - started
    return {
        "samples": samples,
        "steps": steps,
        "webhooks": emitted,
        "seconds": elapsed,
        "webhooks_per_s": round(emitted / elapsed, 1),
        "step_round_trip_p99_ms": round(percentile(round_trips, 0.99) or 0.0, 1),
    }


def freshness(samples: list[dict[str, Any]], fresh: dict[str, Any], merged_before: int) -> Any:
    """Per sample, the delay to its marker (None: never seen)."""
    events: list[float | None] = []
    figures: list[float | None] = []
    merges = 0
    for sample in samples:
        seen = [t for t in fresh["events"].get(sample["key"], []) if t >= sample["at_ms"]]
        events.append(min(seen) - sample["at_ms"] if seen else None)
        # The figure leaves out pull requests opened by bots (docs/metrics.md).
        if sample["action"] == "merge_pull" and not sample.get("bot"):
            merges += 1
            target = merged_before + merges
            shown = [t for v, t in fresh["merged"] if v >= target and t >= sample["at_ms"]]
            figures.append(min(shown) - sample["at_ms"] if shown else None)
    return events, figures


def figures_of(delays: list[float | None]) -> dict[str, Any]:
    seen = [d for d in delays if d is not None]
    return {
        "count": len(seen),
        "missed": len(delays) - len(seen),
        "p50_ms": None if not seen else round(percentile(seen, 0.5) or 0.0),
        "p99_ms": None if not seen else round(percentile(seen, 0.99) or 0.0),
        "max_ms": None if not seen else round(max(seen)),
    }


async def probe_latency(client: httpx.AsyncClient, path: str, into: list[float]) -> None:
    while True:
        started = time.perf_counter()
        (await client.get(path)).raise_for_status()
        into.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.5)


async def phase(
    page: Page,
    github: httpx.AsyncClient,
    token: dict[str, str],
    stack: Stack,
    repository: str,
    rate: float,
    seconds: float,
    pids: dict[str, Any],
) -> dict[str, Any]:
    # The page caught up with everything before: its figure is where this phase counts from.
    await asyncio.sleep(3.0)
    merged_before = int(await page.locator(MERGED_CARD).get_attribute("data-value") or 0)
    before = (await github.get("/_simulator/stats")).json()["webhooks"]
    meter = CpuMeter(pids)
    metrics_path = (
        f"/api/teams/{stack.team_id}/repositories/{stack.repositories[repository]}/metrics"
        "?days=30&tz=UTC"
    )
    probed: list[float] = []
    probe = asyncio.create_task(probe_latency(stack.client, metrics_path, probed))
    driven = await drive(github, rate, seconds, repository)
    cpu = meter.read()
    probe.cancel()
    await asyncio.gather(probe, return_exceptions=True)
    owner, name = repository.split("/")
    for sample in driven["samples"]:
        if sample["action"] == "merge_pull":
            number = sample["key"].rsplit(" ", 1)[1]
            pull = await github.get(f"/repos/{owner}/{name}/pulls/{number}", headers=token)
            author = pull.json()["user"]
            sample["bot"] = author["type"] == "Bot" or author["login"].endswith("[bot]")
    # Until every sample has shown up, or 10 s.
    deadline = time.monotonic() + 10.0
    while True:
        fresh = await page.evaluate("window.__fresh")
        events, merged = freshness(driven["samples"], fresh, merged_before)
        if None not in events + merged or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    after = (await github.get("/_simulator/stats")).json()["webhooks"]
    merges = sum(1 for s in driven["samples"] if s["action"] == "merge_pull" and not s.get("bot"))
    shown = int(await page.locator(MERGED_CARD).get_attribute("data-value") or 0)
    report = await stack.client.get(
        f"/api/teams/{stack.team_id}/repositories/{stack.repositories[repository]}/metrics",
        params={"days": 30, "tz": "UTC"},
    )
    both = [d for d in events + merged if d is not None]
    return {
        "target_webhooks_per_s": rate,
        **{k: v for k, v in driven.items() if k != "samples"},
        "webhook_deliveries": {k: after[k] - before.get(k, 0) for k in after},
        "live_event": figures_of(events),
        "merged_figure": figures_of(merged),
        # The figure counted from: before the phase plus its merges; shown at the end; the API's.
        "merged": {
            "before": merged_before,
            "merges": merges,
            "shown": shown,
            "api": report.json()["stages"]["merged"],
        },
        "merged_delays_ms": [None if d is None else round(d) for d in merged],
        # The repository's metrics as the page fetches them, twice a second meanwhile.
        "metrics_request": {
            "count": len(probed),
            "p50_ms": round(percentile(probed, 0.5) or 0.0),
            "p99_ms": round(percentile(probed, 0.99) or 0.0),
        },
        "any_marker": figures_of(both),  # type: ignore[arg-type]
        "cpu_cores": cpu,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    seconds = args.seconds or (15.0 if args.quick else 60.0)
    # The baseline's changes are twenty times rarer: a longer phase for some samples.
    baseline_seconds = args.baseline_seconds or (15.0 if args.quick else 120.0)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        async with (
            running_stack(
                Path(tmp),
                stack=args.stack,
                repos=2,
                issues=30,
                pulls=30,
                settings={"HUBDECK_RATE_LIMITS": "false"},
            ) as stack,
            httpx.AsyncClient(base_url=stack.simulator_url, timeout=30) as github,
            async_playwright() as playwright,
        ):
            hook = await stack.client.post(f"/api/teams/{stack.team_id}/github-webhook")
            hook.raise_for_status()
            configured = await github.put("/_simulator/webhook", json=hook.json())
            configured.raise_for_status()
            repository, repository_id = min(stack.repositories.items())
            issued = await github.post("/_simulator/tokens", json={"login": "alice"})
            token = {"Authorization": f"token {issued.json()['token']}"}
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                context = await browser.new_context(timezone_id="UTC")
                page = await context.new_page()
                await open_viewer(page, stack, repository_id)
                setup_seconds = time.perf_counter() - started
                pids: dict[str, Any] = {
                    **stack.pids(),
                    "chromium": descendants(os.getpid()),
                    "bench": os.getpid(),
                }
                pids["chromium"] = [p for p in pids["chromium"] if p not in stack.pids().values()]
                phases = {}
                for label, rate, length in (
                    ("baseline", 1.0, baseline_seconds),
                    ("loaded", args.rate, seconds),
                ):
                    phases[label] = await phase(
                        page, github, token, stack, repository, rate, length, pids
                    )
                    print_phase(label, phases[label], file=sys.stderr)
            finally:
                await browser.close()
    loaded, baseline = phases["loaded"], phases["baseline"]
    p99, base_p99 = loaded["any_marker"]["p99_ms"], baseline["any_marker"]["p99_ms"]
    return {
        "benchmark": "freshness",
        "stack": args.stack,
        "quick": args.quick,
        "seconds": {"baseline": baseline_seconds, "loaded": seconds},
        "setup_seconds": round(setup_seconds, 1),
        "repository": repository,
        **phases,
        "p99_ms_loaded": p99,
        "p99_over_baseline": None if not (p99 and base_p99) else round(p99 / base_p99, 2),
        "goal_p99_ms": GOAL_MS,
        **machine(),
    }


def print_phase(label: str, p: dict[str, Any], file: Any = sys.stdout) -> None:
    def cell(f: dict[str, Any]) -> str:
        return f"p50 {f['p50_ms']} p99 {f['p99_ms']} ms (n={f['count']}, missed {f['missed']})"

    print(
        f"{label:8} {p['webhooks_per_s']:5.1f} webhooks/s | live event {cell(p['live_event'])} | "
        f"merged figure {cell(p['merged_figure'])} | CPU hubdeck {p['cpu_cores']['hubdeck']:.2f} "
        f"chromium {p['cpu_cores']['chromium']:.2f} other {p['cpu_cores']['other_programs']:.2f}",
        file=file,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="15 s per phase")
    parser.add_argument("--stack", choices=["embedded", "scaleout"], default="embedded")
    parser.add_argument("--rate", type=float, default=20.0, help="webhooks a second, loaded")
    parser.add_argument("--seconds", type=float, help="of the loaded phase")
    parser.add_argument("--baseline-seconds", type=float, help="of the 1/s phase")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    for label in ("baseline", "loaded"):
        print_phase(label, result[label])
    print(
        f"freshness p99 at {args.rate:g} webhooks/s: {result['p99_ms_loaded']} ms "
        f"(goal < {GOAL_MS:.0f}); ×{result['p99_over_baseline']} the 1/s baseline's"
    )
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
