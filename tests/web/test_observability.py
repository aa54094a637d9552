"""/metrics through the real app: request latency by route template (never the raw path), domain
events by type, sync lag of a repository synced from the GitHub simulator, the pool and
readiness; the request id echoed; the metrics server of a process without HTTP app."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from hubdeck.adapters.db import migrate
from hubdeck.runtime import Runtime
from hubdeck.web.metrics_server import serve_metrics
from tests.conftest import STACK
from tests.servers import (
    APPS,
    free_port,
    running_app,
    running_simulator,
    simulator_settings,
    stack_settings,
)
from tests.web.test_github_flow import sign_in

pytestmark = pytest.mark.stack

OPERATIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"

Samples = dict[tuple[tuple[str, str], ...], float]


def samples(text: str, name: str) -> Samples:
    """Values of the samples called ``name``, by their sorted (label, value) pairs."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def labelled(found: Samples, **labels: str) -> float | None:
    return found.get(tuple(sorted(labels.items())))


@pytest.fixture
async def hubdeck(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> AsyncIterator[str]:
    await migrate.upgrade(stack_database)
    async with running_simulator(repos=2, issues_per_repo=3, pulls_per_repo=3) as (github, _):
        settings = stack_settings(
            tmp_path, stack_database, stack_redis, sync_interval=3600, **simulator_settings(github)
        )
        async with running_app(settings) as url:
            yield url


def runtime_of(url: str) -> Runtime:
    runtime: Runtime = APPS[url].state.runtime
    return runtime


async def test_metrics_show_routes_events_sync_lag_and_readiness(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Observed"})).json()
    followed = await alice.post(
        f"/api/teams/{team['id']}/repositories", json={"full_name": "acme/api"}
    )
    assert followed.status_code == 201, followed.text
    await runtime_of(hubdeck).scheduler.wait_idle()

    for _ in range(3):
        listed = await alice.get(
            f"/api/teams/{team['id']}/repositories", headers={"X-Request-ID": "obs-trace-1"}
        )
        assert listed.status_code == 200
        assert listed.headers["x-request-id"] == "obs-trace-1"
    generated = await alice.get(f"/api/teams/{team['id']}/repositories")
    assert len(generated.headers["x-request-id"]) == 32  # none given: one is made up
    # An id that could forge log lines is replaced, not echoed.
    forged = await alice.get("/healthz", headers={"X-Request-ID": "a b\tc"})
    assert forged.headers["x-request-id"] != "a b\tc"
    assert (await alice.get("/api/no/such/thing")).status_code == 404

    async with httpx.AsyncClient(base_url=hubdeck) as scraper:
        text = (await scraper.get("/metrics")).text
        again = (await scraper.get("/metrics")).text

    counts = samples(text, "hubdeck_http_request_duration_seconds_count")
    route = "/api/teams/{team_id}/repositories"
    assert labelled(counts, route=route, method="GET", status="2xx") == 4
    assert labelled(counts, route=route, method="POST", status="2xx") == 1
    assert labelled(counts, route="/healthz", method="GET", status="2xx") == 1
    routes = {dict(labels)["route"] for labels in counts}
    # Templates only: no label carries a team's id, and /metrics does not time itself.
    assert not any(str(team["id"]) in r for r in routes), routes
    assert "/metrics" not in routes
    assert not any(
        dict(labels)["route"] == "/metrics"
        for labels in samples(again, "hubdeck_http_request_duration_seconds_count")
    )
    unknown = [labels for labels in counts if dict(labels)["status"] == "4xx"]
    assert unknown, counts

    events = samples(text, "hubdeck_domain_events_total")
    assert labelled(events, type="repository.followed") == 1
    assert labelled(events, type="repository.synced") == 1

    lag = samples(text, "hubdeck_sync_lag_seconds")
    assert set(lag) == {(("repository", "acme/api"),)}
    assert 0 <= lag[(("repository", "acme/api"),)] < 600
    assert samples(text, "hubdeck_sync_interval_seconds")[()] == 3600
    assert samples(text, "hubdeck_sync_never_synced_repositories")[()] == 0

    up = samples(text, "hubdeck_dependency_up")
    expected = {"database", "redis"} if STACK == "scaleout" else {"database"}
    assert {dict(labels)["dependency"] for labels in up} == expected
    assert set(up.values()) == {1.0}

    assert samples(text, "hubdeck_pool_requests_total")[()] > 0
    assert samples(text, "hubdeck_pool_queued_requests")[()] == 0
    assert samples(text, "hubdeck_webhook_outbox_pending")
    # What existed before keeps being served beside the new figures.
    assert samples(text, "hubdeck_ws_connections")[()] == 0
    assert samples(text, "hubdeck_cache_lookups_total")
    # Every metric served is explained to operators.
    documented = OPERATIONS_DOC.read_text()
    served = {
        family.name
        for family in text_string_to_metric_families(text)
        if not family.name.endswith("_created")  # counters' creation times
    }
    assert {name for name in served if f"`{name}" not in documented} == set()


async def test_a_process_without_http_app_serves_metrics_on_its_own_port(hubdeck: str) -> None:
    runtime = runtime_of(hubdeck)
    port = free_port()
    server = asyncio.create_task(serve_metrics(runtime, "127.0.0.1", port))
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.02)
            health = await client.get("/healthz")
            assert health.json() == {"status": "ok"}
            scraped = await client.get("/metrics")
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        text = scraped.text
        assert samples(text, "hubdeck_dependency_up")
        assert samples(text, "hubdeck_webhook_outbox_oldest_age_seconds")[()] == 0
        assert "hubdeck_domain_events_total" in text
        # A port already taken is the caller's error, not the end of the process.
        with pytest.raises(OSError, match="in use"):
            await serve_metrics(runtime, "127.0.0.1", port)
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
    assert server.cancelled()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))
