"""Seeded data: deterministic from (seed, now), and rich enough for every dashboard."""

from __future__ import annotations

from datetime import timedelta

import httpx

from hubdeck.simulator import Simulator
from hubdeck.simulator.seed import build_store

from .conftest import NOW, auth, client_for, issue_token, make_config

PATHS = [
    "/user",
    "/user/repos",
    "/orgs/acme",
    "/orgs/acme/repos",
    "/orgs/acme/members",
    "/repos/acme/api",
    "/repos/acme/api/languages",
    "/repos/acme/api/issues?state=all&per_page=100",
    "/repos/acme/api/issues/comments?per_page=100",
    "/repos/acme/web/pulls?state=all&per_page=100",
    "/repos/acme/web/pulls/3",
    "/repos/acme/mobile/actions/runs?per_page=100",
    "/repos/acme/mobile/commits?per_page=100",
    "/repos/acme/api/releases",
    "/repos/acme/api/stargazers",
    "/repos/acme/infra",
]


async def _bodies(seed: int) -> list[bytes]:
    # A fixed token value, so that nothing but the seed differs between the two runs.
    config = make_config(seed=seed, preset_tokens={"ghp_fixed": "alice"})
    async with Simulator(config) as sim, client_for(sim) as client:
        bodies = []
        for path in PATHS:
            response = await client.get(path, headers=auth("ghp_fixed"))
            assert response.status_code in (200, 404), (path, response.text)
            bodies.append(response.content)
        return bodies


async def test_same_seed_gives_byte_identical_bodies() -> None:
    assert await _bodies(7) == await _bodies(7)


async def test_another_seed_gives_other_data() -> None:
    first, second = await _bodies(7), await _bodies(8)
    assert sum(a != b for a, b in zip(first, second, strict=True)) > len(PATHS) // 2


def test_times_are_relative_to_now() -> None:
    for now in (NOW, NOW + timedelta(days=400)):
        store = build_store(make_config(), now)
        window = now - timedelta(days=90)
        for repo in store.org_repos():
            dates = [c.date for c in repo.commits]
            assert max(dates) <= now and min(dates) < window
            assert any(window <= d < window + timedelta(days=14) for d in dates)
            assert any(d >= now - timedelta(days=14) for d in dates)
            for issue in repo.issues.values():
                assert issue.created_at <= issue.updated_at <= now
                assert issue.closed_at is None or issue.created_at <= issue.closed_at <= now
            for run in repo.runs:
                assert window <= run.created_at <= run.updated_at <= now


def test_the_data_covers_what_dashboards_show() -> None:
    config = make_config(repos=5, private_repos=1)
    store = build_store(config, NOW)
    window = NOW - timedelta(days=config.history_days)
    repos = store.org_repos()
    issues = [i for r in repos for i in r.issues.values()]
    pulls = [i for i in issues if i.pull is not None]
    reviews = [rv for i in pulls if i.pull for rv in i.pull.reviews]
    runs = [run for r in repos for run in r.runs]

    assert (
        store.user("dependabot[bot]") is not None and store.require_user("dependabot[bot]").is_bot
    )
    assert len(store.members()) == config.users
    assert sum(r.private for r in repos) == 1
    assert all(r.languages and r.language for r in repos)
    assert {p.state for p in pulls} == {"open", "closed"}
    assert any(p.pull and p.pull.merged_at for p in pulls)
    assert any(p.state == "closed" and p.pull and not p.pull.merged_at for p in pulls)
    assert any(p.pull and p.pull.draft for p in pulls)
    assert any(p.pull and p.pull.requested_reviewers for p in pulls if p.state == "open")
    assert {rv.state for rv in reviews} == {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"}
    assert any(p.user == "dependabot[bot]" for p in pulls)
    assert all(rv.user != i.user for i in pulls if i.pull for rv in i.pull.reviews)
    assert {run.conclusion for run in runs} >= {"success", "failure"}
    assert {run.event for run in runs} == {"push", "pull_request"}
    assert any(run.head_branch != r.default_branch for r in repos for run in r.runs)
    assert all(r.releases for r in repos)
    recent = [c for r in repos for c in r.commits if c.date >= window]
    assert len({c.author for c in recent}) >= 4
    assert any(c.author is None for r in repos for c in r.commits)
    # Issue numbers are shared with pull requests and follow creation order.
    for repo in repos:
        ordered = sorted(repo.issues.values(), key=lambda i: i.number)
        assert [i.number for i in ordered] == list(range(1, len(ordered) + 1))
        assert [i.created_at for i in ordered] == sorted(i.created_at for i in ordered)


async def test_a_pull_request_has_githubs_shape(client: httpx.AsyncClient) -> None:
    token = await issue_token(client)
    pulls = (await client.get("/repos/acme/api/pulls?state=closed", headers=auth(token))).json()
    merged = next(p for p in pulls if p["merged_at"])
    full = (
        await client.get(f"/repos/acme/api/pulls/{merged['number']}", headers=auth(token))
    ).json()
    assert full["merged"] is True and full["merged_by"]["type"] in ("User", "Bot")
    assert full["merge_commit_sha"] and len(full["merge_commit_sha"]) == 40
    assert full["commits"] >= 1 and full["additions"] >= 1 and full["changed_files"] >= 1
    assert full["head"]["sha"] != full["base"]["sha"]
    commits = (
        await client.get(f"/repos/acme/api/pulls/{merged['number']}/commits", headers=auth(token))
    ).json()
    assert len(commits) == full["commits"] and commits[-1]["sha"] == full["head"]["sha"]
    reviews = (
        await client.get(f"/repos/acme/api/pulls/{merged['number']}/reviews", headers=auth(token))
    ).json()
    assert any(r["state"] == "APPROVED" for r in reviews)
    assert all(r["user"]["login"] != full["user"]["login"] for r in reviews)
    history = (await client.get("/repos/acme/api/commits?per_page=100", headers=auth(token))).json()
    assert full["merge_commit_sha"] in {c["sha"] for c in history} or len(history) == 100
    issue = (
        await client.get(f"/repos/acme/api/issues/{merged['number']}", headers=auth(token))
    ).json()
    assert issue["pull_request"]["merged_at"] == full["merged_at"]
