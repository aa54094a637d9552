"""The activity generator: deterministic steps whose effects REST shows at once."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from hubdeck.simulator import Simulator

from .conftest import auth, client_for, make_config


async def step(
    client: httpx.AsyncClient, action: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"count": 1} | extra
    if action is not None:
        body["action"] = action
    response = await client.post("/_simulator/activity/step", json=body)
    assert response.status_code == 200, response.text
    outcome: dict[str, Any] = response.json()["steps"][0]
    assert outcome["performed"], outcome
    return outcome


async def test_opened_issues_and_comments_show_over_rest(
    client: httpx.AsyncClient, token: str
) -> None:
    opened = await step(client, "open_issue")
    repo, number = opened["repository"], opened["number"]
    assert [e["event"] for e in opened["events"]] == ["issues"]
    issue = (await client.get(f"/repos/{repo}/issues/{number}", headers=auth(token))).json()
    assert issue["state"] == "open" and issue["comments"] == 0
    newest = (await client.get(f"/repos/{repo}/issues?sort=created", headers=auth(token))).json()[0]
    assert newest["number"] == number


async def test_a_pull_request_lifecycle(
    sim: Simulator, client: httpx.AsyncClient, token: str
) -> None:
    opened = await step(client, "open_pull")
    repo_name, number = opened["repository"], opened["number"]
    assert [(e["event"], e["action"]) for e in opened["events"]] == [
        ("push", None),
        ("pull_request", "opened"),
        ("workflow_run", "requested"),
    ]
    repo = sim.store.repo_by_name(*repo_name.split("/"))
    assert repo is not None
    issue = repo.issues[number]
    assert issue.pull is not None
    if issue.pull.draft:
        sim.mutations.ready_for_review(repo, issue)
    sim.mutations.request_review(
        repo, issue, "carol" if issue.user != "carol" else "dave", issue.user
    )
    requested = (
        await client.get(
            f"/repos/{repo_name}/pulls/{number}/requested_reviewers", headers=auth(token)
        )
    ).json()
    assert len(requested["users"]) == 1
    reviewer = requested["users"][0]["login"]
    sim.mutations.submit_review(repo, issue, reviewer, "APPROVED", "LGTM")
    reviews = (
        await client.get(f"/repos/{repo_name}/pulls/{number}/reviews", headers=auth(token))
    ).json()
    assert reviews[-1]["state"] == "APPROVED" and reviews[-1]["user"]["login"] == reviewer
    assert (
        await client.get(
            f"/repos/{repo_name}/pulls/{number}/requested_reviewers", headers=auth(token)
        )
    ).json()["users"] == []

    head_before = (
        await client.get(f"/repos/{repo_name}/commits?per_page=1", headers=auth(token))
    ).json()[0]["sha"]
    merged = await step(client, "merge_pull")
    merged_repo, merged_number = merged["repository"], merged["number"]
    pull = (
        await client.get(f"/repos/{merged_repo}/pulls/{merged_number}", headers=auth(token))
    ).json()
    assert pull["merged"] is True and pull["state"] == "closed"
    head = (
        await client.get(f"/repos/{merged_repo}/commits?per_page=1", headers=auth(token))
    ).json()[0]
    assert head["sha"] == pull["merge_commit_sha"]
    assert head["commit"]["message"].endswith(f"(#{merged_number})")
    if merged_repo == repo_name:
        assert head["parents"][0]["sha"] == head_before


async def test_runs_move_on_with_the_clock(
    sim: Simulator, client: httpx.AsyncClient, token: str
) -> None:
    opened = await step(client, "push_default")
    run_id = next(e for e in opened["events"] if e["event"] == "workflow_run")
    repo_name = opened["repository"]
    runs = (
        await client.get(f"/repos/{repo_name}/actions/runs?per_page=1", headers=auth(token))
    ).json()
    assert runs["workflow_runs"][0]["status"] == "queued" and run_id
    started = await step(client, advance_seconds=11)
    assert started["action"] == "progress_run"
    done = await step(client, advance_seconds=3600)
    assert done["action"] in ("progress_run", "complete_run")
    for _ in range(500):
        if done["action"] == "complete_run" and done["run_id"] == started["run_id"]:
            break
        done = await step(client)
    run = (
        await client.get(
            f"/repos/{started['repository']}/actions/runs/{started['run_id']}", headers=auth(token)
        )
    ).json()
    assert run["status"] == "completed" and run["conclusion"] == done["conclusion"]
    assert run["conclusion"] in ("success", "failure", "cancelled")


async def test_stars_and_forks_change_counts(
    sim: Simulator, client: httpx.AsyncClient, token: str
) -> None:
    def counts(repos: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
        return {r["full_name"]: (r["stargazers_count"], r["forks_count"]) for r in repos}

    before = counts((await client.get("/orgs/acme/repos", headers=auth(token))).json())
    starred = await step(client, "star")
    forked = await step(client, "fork")
    after = counts((await client.get("/orgs/acme/repos", headers=auth(token))).json())
    assert after[starred["repository"]][0] == before[starred["repository"]][0] + 1
    assert after[forked["repository"]][1] == before[forked["repository"]][1] + 1
    fork_event = next(e for e in forked["events"] if e["event"] == "fork")
    delivery = (await client.get(f"/_simulator/deliveries/{fork_event['delivery_id']}")).json()
    forkee = delivery["payload"]["forkee"]
    assert forkee["fork"] is True
    shown = await client.get(f"/repos/{forkee['full_name']}", headers=auth(token))
    assert shown.json()["parent"]["full_name"] == forked["repository"]


async def _history(seed: int) -> tuple[list[dict[str, Any]], bytes]:
    config = make_config(seed=seed, preset_tokens={"ghp_fixed": "alice"})
    async with Simulator(config) as sim, client_for(sim) as client:
        response = await client.post(
            "/_simulator/activity/step", json={"count": 60, "advance_seconds": 45}
        )
        steps = response.json()["steps"]
        for outcome in steps:
            for event in outcome["events"]:
                event.pop("delivery_id")
        issues = await client.get(
            "/repos/acme/api/issues?state=all&sort=updated&per_page=100", headers=auth("ghp_fixed")
        )
        return steps, issues.content


async def test_the_same_seed_replays_the_same_activity() -> None:
    first, second = await _history(3), await _history(3)
    assert first == second
    assert (await _history(4))[0] != first[0]


async def test_the_background_generator_runs_at_its_rate() -> None:
    async with Simulator(make_config(activity_rate=200)) as sim:
        await asyncio.sleep(0.3)
        assert sim.activity.steps >= 5
        assert len(sim.sender.deliveries) >= 5
    steps = sim.activity.steps
    await asyncio.sleep(0.05)
    assert sim.activity.steps == steps  # stopped with the simulator


async def test_unknown_actions_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/_simulator/activity/step", json={"action": "explode"})
    assert response.status_code == 422
