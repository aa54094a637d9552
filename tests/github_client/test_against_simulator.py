"""The client against HubDeck's GitHub simulator, in process (httpx.ASGITransport)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hubdeck.adapters.github import ETagStore, GitHubClient, code_challenge
from hubdeck.adapters.memory import MemoryCache
from hubdeck.core.github.errors import (
    NotFound,
    OAuthError,
    RateLimited,
    SecondaryRateLimited,
    Unauthorized,
)
from hubdeck.core.github.models import AccountType
from hubdeck.core.github.parse import first_commit_at
from tests.github_client.fakes import Sleeps

simulator = pytest.importorskip("hubdeck.simulator")

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
BASE = "http://sim"


@dataclass
class Sim:
    app: Any
    http: httpx.AsyncClient  # for the /_simulator control endpoints
    gh: GitHubClient
    sleeps: Sleeps

    @property
    def state(self) -> Any:
        return self.app.state.sim

    async def token(self, login: str = "alice") -> str:
        response = await self.http.post("/_simulator/tokens", json={"login": login})
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    async def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = (await self.http.get("/_simulator/stats")).json()
        return stats


@pytest.fixture
def config_changes() -> dict[str, Any]:
    return {}


@pytest.fixture
async def sim(config_changes: dict[str, Any]) -> AsyncIterator[Sim]:
    config = simulator.SimulatorConfig(
        **({"now": NOW, "clock_frozen": True, "repos": 3, "private_repos": 1} | config_changes)
    )
    app = simulator.create_simulator_app(config)
    transport = httpx.ASGITransport(app=app)
    sleeps = Sleeps()
    etags = ETagStore(MemoryCache())
    async with (
        httpx.AsyncClient(transport=transport, base_url=BASE) as http,
        GitHubClient(BASE, transport=transport, etags=etags, sleep=sleeps) as gh,
    ):
        yield Sim(app, http, gh, sleeps)


@pytest.mark.parametrize("config_changes", [{"page_size_max": 7}])
async def test_pagination_gets_every_issue(sim: Sim) -> None:
    token = await sim.token()
    everything = await sim.gh.collect(
        "/repos/acme/api/issues", token=token, params={"state": "all"}
    )
    seeded = sim.state.store.repo_by_name("acme", "api").issues
    assert everything.pages == -(-len(seeded) // 7) > 1
    assert sorted(i["number"] for i in everything.value) == sorted(seeded)

    issues = await sim.gh.list_issues("acme", "api", token=token)
    expected = sorted(n for n, i in seeded.items() if i.pull is None)
    assert sorted(i.number for i in issues.value) == expected
    assert [i.updated_at for i in issues.value] == sorted(
        (i.updated_at for i in issues.value), reverse=True
    )
    first_two = await sim.gh.list_pulls("acme", "api", token=token, max_pages=2)
    assert first_two.pages == 2 and first_two.truncated and len(first_two.value) == 14


async def test_a_304_costs_no_quota(sim: Sim) -> None:
    token = await sim.token()
    first = await sim.gh.get_repository("acme", "api", token=token)
    second = await sim.gh.get_repository("acme", "api", token=token)
    assert not first.not_modified and second.not_modified
    assert second.value == first.value
    assert first.rate_limit is not None and second.rate_limit is not None
    assert second.rate_limit.remaining == first.rate_limit.remaining == 4999
    listed = await sim.gh.list_pulls("acme", "api", token=token)
    relisted = await sim.gh.list_pulls("acme", "api", token=token)
    assert relisted.not_modified and relisted.value == listed.value
    assert relisted.rate_limit is not None and relisted.rate_limit.remaining == 4998
    stats = await sim.stats()
    assert stats["not_modified"] == 2 and stats["quota_spent"][token] == 2


async def test_a_change_is_seen_after_304s(sim: Sim) -> None:
    token = await sim.token()
    before = await sim.gh.list_issues("acme", "api", token=token)
    repo = sim.state.store.repo_by_name("acme", "api")
    sim.state.mutations.open_issue(repo, "bob", "Brand new")
    after = await sim.gh.list_issues("acme", "api", token=token)
    assert not after.not_modified
    assert after.value[0].title == "Brand new" and len(after.value) == len(before.value) + 1


@pytest.mark.parametrize(
    "config_changes",
    [
        {"secondary_max_per_minute": 2, "secondary_retry_after": 60},
        {"secondary_max_per_minute": 2, "secondary_status": 429},
    ],
)
async def test_a_secondary_limit(sim: Sim, config_changes: dict[str, Any]) -> None:
    token = await sim.token()
    await sim.gh.get_repository("acme", "api", token=token)
    await sim.gh.get_repository("acme", "web", token=token)
    with pytest.raises(SecondaryRateLimited) as caught:
        await sim.gh.get_repository("acme", "api", token=token)
    assert caught.value.status == config_changes.get("secondary_status", 403)
    assert caught.value.retry_after == 60
    assert "secondary rate limit" in caught.value.message
    assert sim.sleeps.delays == []  # not retried: the caller cools the credential down


@pytest.mark.parametrize("config_changes", [{"rate_limit_per_hour": 2}])
async def test_the_primary_limit(sim: Sim) -> None:
    token = await sim.token()
    await sim.gh.get_repository("acme", "api", token=token)
    last = await sim.gh.get_repository("acme", "web", token=token)
    assert last.rate_limit is not None and last.rate_limit.is_exhausted
    with pytest.raises(RateLimited) as caught:
        await sim.gh.get_authenticated_user(token)
    assert caught.value.reset_at == NOW + timedelta(hours=1)
    assert caught.value.rate_limit is not None and caught.value.rate_limit.remaining == 0
    assert sim.sleeps.delays == []


async def test_a_revoked_token_is_unauthorized(sim: Sim) -> None:
    token = await sim.token()
    assert (await sim.gh.get_authenticated_user(token)).value.login == "alice"
    revoked = await sim.http.post(f"/_simulator/tokens/{token}/revoke")
    assert revoked.status_code == 200
    with pytest.raises(Unauthorized) as caught:
        await sim.gh.get_authenticated_user(token)
    assert caught.value.status == 401 and caught.value.message == "Bad credentials"
    with pytest.raises(Unauthorized):
        await sim.gh.get_repository("acme", "api", token="ghp_neverIssued")


async def test_every_resource_method_reads_the_simulators_shapes(sim: Sim) -> None:
    token = await sim.token()
    gh = sim.gh
    me = (await gh.get_authenticated_user(token)).value
    assert me.login == "alice" and me.type is AccountType.user
    orgs = (await gh.list_user_orgs(token=token)).value
    assert [o.login for o in orgs] == ["acme"] and orgs[0].type is AccountType.organization
    mine = (await gh.list_user_repos(token=token)).value
    org_repos = (await gh.list_org_repos("acme", token=token)).value
    assert {r.full_name for r in org_repos} <= {r.full_name for r in mine}
    assert any(r.private for r in org_repos)
    repo = (await gh.get_repository("acme", "api", token=token)).value
    assert repo.full_name == "acme/api" and repo.created_at is not None
    assert sum((await gh.get_languages("acme", "api", token=token)).value.values()) > 0

    pulls = (await gh.list_pulls("acme", "api", token=token)).value
    assert pulls and all(p.additions == 0 for p in pulls)
    number = pulls[0].number
    full = (await gh.get_pull("acme", "api", number, token=token)).value
    assert full.size > 0 and full.head_ref and full.base_ref
    reviews = (await gh.list_reviews("acme", "api", number, token=token)).value
    assert all(r.pull_number == number for r in reviews)
    commits = (await gh.list_pull_commits("acme", "api", number, token=token)).value
    assert commits and first_commit_at(commits) is not None
    since = NOW - timedelta(days=30)
    comments = (await gh.list_issue_comments("acme", "api", token=token, since=since)).value
    assert all(c.issue_number > 0 for c in comments)
    runs = (await gh.list_workflow_runs("acme", "api", token=token, created=since)).value
    assert runs and all(r.created_at >= since for r in runs)
    history = (await gh.list_commits("acme", "api", token=token, since=since)).value
    assert history and all(c.authored_at >= since for c in history)
    await gh.list_releases("acme", "api", token=token)
    with pytest.raises(NotFound):
        await gh.get_repository("acme", "no-such-repo", token=token)


async def test_oauth_code_exchange(sim: Sim) -> None:
    verifier = "v" * 43
    redirect = "http://hub.example/auth/callback"
    authorize = await sim.http.get(
        "/login/oauth/authorize",
        params={
            "client_id": "hubdeck-simulator",
            "redirect_uri": redirect,
            "state": "s1",
            "scope": "repo read:org",
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
            "login": "bob",
        },
    )
    assert authorize.status_code == 302
    code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]
    secret = "hubdeck-simulator-secret"
    token = await sim.gh.exchange_code(BASE, "hubdeck-simulator", secret, code, verifier, redirect)
    assert token.scopes == ("repo", "read:org")
    assert (await sim.gh.get_authenticated_user(token.access_token)).value.login == "bob"
    # Codes are single-use; GitHub answers with 200 and an error body.
    with pytest.raises(OAuthError) as caught:
        await sim.gh.exchange_code(BASE, "hubdeck-simulator", secret, code, verifier, redirect)
    assert caught.value.error == "bad_verification_code"
    with pytest.raises(OAuthError) as wrong_secret:
        await sim.gh.exchange_code(BASE, "hubdeck-simulator", "nope", code, verifier, redirect)
    assert wrong_secret.value.error == "incorrect_client_credentials"
