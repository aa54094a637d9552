"""Sign in through the simulator's OAuth page, create a team, follow repositories, sync them,
and read their metrics: HubDeck against a real (simulated) GitHub over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.core.events import DomainEvent
from hubdeck.runtime import Runtime
from tests.servers import APPS, running_app, running_simulator, simulator_settings, stack_settings

pytestmark = pytest.mark.stack


@pytest.fixture
async def github() -> AsyncIterator[str]:
    async with running_simulator(repos=3, issues_per_repo=12, pulls_per_repo=10) as (url, _):
        yield url


@pytest.fixture
async def hubdeck(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None, github: str
) -> AsyncIterator[str]:
    await migrate.upgrade(stack_database)
    settings = stack_settings(
        tmp_path, stack_database, stack_redis, sync_interval=3600, **simulator_settings(github)
    )
    async with running_app(settings) as url:
        yield url


def runtime_of(url: str) -> Runtime:
    runtime: Runtime = APPS[url].state.runtime
    return runtime


async def sign_in(hubdeck: str, login: str, device: str = "pytest") -> httpx.AsyncClient:
    """Go through the OAuth web flow as a browser would; return a client holding the cookie."""
    client = httpx.AsyncClient(base_url=hubdeck, timeout=20, headers={"User-Agent": device})
    start = await client.get("/auth/github/login", params={"next": "/repositories"})
    assert start.status_code == 302
    authorize = start.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 20
    async with httpx.AsyncClient(timeout=20) as browser:
        page = await browser.get(authorize)
        assert f"Sign in as {login}" in page.text
        chosen = await browser.get(authorize + "&login=" + login)
    assert chosen.status_code == 302
    # The callback names HubDeck's public URL; this test's server listens elsewhere.
    callback = urlsplit(chosen.headers["location"])
    assert callback.path == "/auth/github/callback"
    done = await client.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 302, done.text
    assert done.headers["location"] == "/repositories"
    assert "httponly" in done.headers["set-cookie"].lower()
    # As the page does: writes carry the Origin and the CSRF token read from its cookie.
    client.headers["Origin"] = hubdeck
    client.headers["X-CSRF-Token"] = client.cookies["hubdeck_csrf"]
    return client


async def test_sign_in_create_team_follow_sync_and_read_metrics(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    me = (await alice.get("/api/me")).json()
    assert me["user"]["login"] == "alice"
    assert me["teams"] == []

    team = (await alice.post("/api/teams", json={"name": "Acme Platform"})).json()
    assert team["role"] == "owner"
    candidates = (await alice.get(f"/api/teams/{team['id']}/candidates")).json()
    names = {c["full_name"] for c in candidates}
    assert {"acme/api", "acme/web"} <= names

    events: list[DomainEvent] = []

    async def record(batch: object) -> None:
        events.extend(batch)  # type: ignore[arg-type]

    runtime = runtime_of(hubdeck)
    runtime.bus.subscribe("test", record)
    for full_name in ("acme/api", "acme/web"):
        followed = await alice.post(
            f"/api/teams/{team['id']}/repositories", json={"full_name": full_name}
        )
        assert followed.status_code == 201, followed.text
    await runtime.scheduler.wait_idle()

    listing = await alice.get(f"/api/teams/{team['id']}/repositories")
    # The snapshot says where the team channel stood, for a subscription to continue from.
    assert listing.headers["x-hubdeck-stream"].startswith(f"team:{team['id']} offset=")
    repositories = listing.json()
    assert [r["full_name"] for r in repositories] == ["acme/api", "acme/web"]
    assert all(r["synced_at"] for r in repositories)
    # A first sync is a baseline: one event per repository, not one per existing issue.
    synced = [e for e in events if e.type == "repository.synced"]
    assert len(synced) == 2
    assert synced[0].data["pullrequests"] == 10 or synced[1].data["pullrequests"] == 10

    api = next(r for r in repositories if r["full_name"] == "acme/api")
    metrics = (
        await alice.get(f"/api/teams/{team['id']}/repositories/{api['id']}/metrics?days=90")
    ).json()
    assert metrics["repositories"] == ["acme/api"]
    assert metrics["stages"]["cycle"]["count"] > 0
    assert sum(sum(row) for row in metrics["commit_heatmap"]["counts"]) > 0
    team_metrics = (await alice.get(f"/api/teams/{team['id']}/metrics?days=90")).json()
    assert sorted(team_metrics["repositories"]) == ["acme/api", "acme/web"]

    # Syncs with nothing changed on GitHub store and publish nothing, and once the incremental
    # URLs are stable every listing is a free 304.
    before = len(events)
    for _ in range(2):
        report = await runtime.scheduler.run_once(api["id"])
        assert report is not None
        assert (report.objects_saved, report.events) == (0, 0)
    assert report.listings_changed == 0
    assert len(events) == before
    await alice.aclose()


async def test_a_team_sees_nothing_of_another_team(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    bob = await sign_in(hubdeck, "bob")
    team_x = (await alice.post("/api/teams", json={"name": "X"})).json()
    team_y = (await bob.post("/api/teams", json={"name": "Y"})).json()
    repo = (
        await alice.post(f"/api/teams/{team_x['id']}/repositories", json={"full_name": "acme/api"})
    ).json()
    await runtime_of(hubdeck).scheduler.wait_idle()

    for path in (
        f"/api/teams/{team_x['id']}",
        f"/api/teams/{team_x['id']}/repositories",
        f"/api/teams/{team_x['id']}/repositories/{repo['id']}",
        f"/api/teams/{team_x['id']}/repositories/{repo['id']}/metrics",
        f"/api/teams/{team_x['id']}/metrics",
        # Through bob's own team: a repository his team does not follow does not exist.
        f"/api/teams/{team_y['id']}/repositories/{repo['id']}",
        f"/api/teams/{team_y['id']}/repositories/{repo['id']}/metrics",
    ):
        response = await bob.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    await alice.aclose()
    await bob.aclose()


async def test_unauthenticated_and_cross_site_requests_are_refused(hubdeck: str) -> None:
    async with httpx.AsyncClient(base_url=hubdeck) as anonymous:
        response = await anonymous.get("/api/me")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    alice = await sign_in(hubdeck, "alice")
    forged = await alice.post(
        "/api/teams", json={"name": "Evil"}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    same_site = await alice.post("/api/teams", json={"name": "Good"}, headers={"Origin": hubdeck})
    assert same_site.status_code == 201
    bad = await alice.post("/api/teams", json={"name": ""})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"
    await alice.aclose()


async def test_a_replayed_oauth_state_is_refused(hubdeck: str) -> None:
    async with httpx.AsyncClient(base_url=hubdeck) as client:
        start = await client.get("/auth/github/login")
        authorize = start.headers["location"]
        async with httpx.AsyncClient() as browser:
            chosen = await browser.get(authorize + "&login=alice")
        parts = urlsplit(chosen.headers["location"])
        callback = f"{parts.path}?{parts.query}"
        assert (await client.get(callback)).status_code == 302
        replay = await client.get(callback)
        assert replay.status_code == 302
        assert replay.headers["location"] == "/signin?error=expired"


async def test_a_team_adopted_for_an_organization_takes_in_its_members(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    adopted = await alice.post("/api/teams", json={"name": "Acme", "github_org": "acme"})
    assert adopted.status_code == 201, adopted.text
    # bob belongs to the acme organization on GitHub: signing in puts him in the team.
    bob = await sign_in(hubdeck, "bob")
    teams = (await bob.get("/api/me")).json()["teams"]
    assert [(t["name"], t["role"]) for t in teams] == [("Acme", "member")]
    # An outside collaborator may neither adopt the organization nor is taken in.
    outsider = await sign_in(hubdeck, "zoe-dev")
    assert (await outsider.get("/api/me")).json()["teams"] == []
    refused = await outsider.post("/api/teams", json={"name": "Mine", "github_org": "acme"})
    assert refused.status_code == 403
    for client in (alice, bob, outsider):
        await client.aclose()


async def test_a_token_revoked_on_github_asks_its_owner_to_sign_in_again(
    hubdeck: str, github: str
) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Revoked"})).json()
    me = (await alice.get("/api/me")).json()["user"]
    runtime = runtime_of(hubdeck)
    token = await runtime.login.token_of(me["id"])
    async with httpx.AsyncClient(base_url=github) as gh:
        assert (await gh.post(f"/_simulator/tokens/{token}/revoke")).status_code == 200
    refused = await alice.get(f"/api/teams/{team['id']}/candidates")
    assert refused.status_code == 401
    assert "sign in again" in refused.json()["error"]["message"]
    # The token is no longer used, for this request or any later one.
    again = await alice.get(f"/api/teams/{team['id']}/candidates")
    assert again.status_code == 401
    # Signing in again brings a fresh token.
    alice_again = await sign_in(hubdeck, "alice")
    assert (await alice_again.get(f"/api/teams/{team['id']}/candidates")).status_code == 200
    await alice.aclose()
    await alice_again.aclose()


async def test_a_warm_resync_spends_under_a_tenth_of_the_cold_quota(
    hubdeck: str, github: str
) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Quota"})).json()
    async with httpx.AsyncClient(base_url=github) as gh:
        await gh.post("/_simulator/stats/reset")
        for full_name in ("acme/api", "acme/web", "acme/mobile"):
            await alice.post(f"/api/teams/{team['id']}/repositories", json={"full_name": full_name})
        runtime = runtime_of(hubdeck)
        await runtime.scheduler.wait_idle()
        cold = sum((await gh.get("/_simulator/stats")).json()["quota_spent"].values())
        await gh.post("/_simulator/stats/reset")
        for repository in (await alice.get(f"/api/teams/{team['id']}/repositories")).json():
            await runtime.scheduler.run_once(repository["id"])
        stats = (await gh.get("/_simulator/stats")).json()
    warm = sum(stats["quota_spent"].values())
    assert cold > 0
    assert warm < cold / 10, (warm, cold)
    assert stats["not_modified"] > stats["requests"] / 2  # mostly answered by 304s
    await alice.aclose()


async def test_signing_in_from_a_new_device_notifies_the_account_owner(hubdeck: str) -> None:
    first = await sign_in(hubdeck, "alice", device="Firefox on Linux")
    same = await sign_in(hubdeck, "alice", device="Firefox on Linux")
    assert (await first.get("/api/notifications")).json()["items"] == []
    phone = await sign_in(hubdeck, "alice", device="Safari on iPhone")
    (item,) = (await first.get("/api/notifications")).json()["items"]
    assert item["kind"] == "new_device"
    assert "Safari on iPhone" in item["body"]
    for client in (first, same, phone):
        await client.aclose()
