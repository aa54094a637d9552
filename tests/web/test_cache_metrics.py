"""The metrics cache through the real app: many viewers of one report cost one computation, a
domain event about a repository drops only the reports built on it, and /metrics counts hits,
misses and GitHub's conditional requests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from hubdeck.core.events import DomainEvent
from tests.web.test_github_flow import runtime_of, sign_in
from tests.web.test_sessions import hubdeck, limits

pytestmark = pytest.mark.stack
__all__ = ["hubdeck", "limits"]  # fixtures


class FrozenClock:
    """The services' time stands still: the reports' minute cannot roll over mid-test."""

    def __init__(self) -> None:
        self._now = datetime.now(UTC)

    def now(self) -> datetime:
        return self._now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def samples(text: str, name: str) -> dict[tuple[str, ...], float]:
    found: dict[tuple[str, ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.values()))] = sample.value
    return found


async def test_viewers_share_computations_and_events_drop_only_their_reports(
    hubdeck: str,
) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Cache"})).json()
    runtime = runtime_of(hubdeck)
    ids = {}
    for full_name in ("acme/api", "acme/web"):
        followed = await alice.post(
            f"/api/teams/{team['id']}/repositories", json={"full_name": full_name}
        )
        ids[full_name] = followed.json()["id"]
    await runtime.scheduler.wait_idle()

    def url(name: str) -> str:
        return f"/api/teams/{team['id']}/repositories/{ids[name]}/metrics?days=30"

    viewers = await asyncio.gather(*(alice.get(url("acme/api")) for _ in range(20)))
    assert {v.status_code for v in viewers} == {200}
    await alice.get(url("acme/web"))
    async with httpx.AsyncClient(base_url=hubdeck) as scraper:
        before = (await scraper.get("/metrics")).text
    computed = samples(before, "hubdeck_cache_computations_total")
    assert computed[("metrics",)] == 2  # one per report, not one per viewer
    lookups = samples(before, "hubdeck_cache_lookups_total")
    assert lookups[("metrics", "miss")] + lookups.get(("hit", "metrics"), 0) == 21
    assert lookups[("metrics", "miss")] >= 2
    # Syncing used the stored ETags: GitHub's answers were looked up in the cache.
    assert lookups.get(("github_etag", "miss"), 0) > 0

    await runtime.bus.publish(
        [
            DomainEvent(
                type="issue.opened",
                occurred_at=datetime.now(UTC),
                repository_id=ids["acme/api"],
                subject="acme/api#999",
                data={},
            )
        ]
    )
    await alice.get(url("acme/api"))
    await alice.get(url("acme/web"))
    async with httpx.AsyncClient(base_url=hubdeck) as scraper:
        after = (await scraper.get("/metrics")).text
    # Only the report on the changed repository was computed again.
    assert samples(after, "hubdeck_cache_computations_total")[("metrics",)] == 3
    assert samples(after, "hubdeck_cache_invalidations_total")[()] >= 1
    await alice.aclose()
