"""Workflow runs: CI on every push to the default branch and on pull-request commits."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .models import Repository, Workflow, WorkflowRun
from .state import Store

if TYPE_CHECKING:
    from .seed import RepoSeeder


def plan_outcome(rng: random.Random, workflow: Workflow) -> tuple[str, int]:
    """A run's eventual conclusion and duration: mostly green, sometimes red or cancelled."""
    roll = rng.random()
    conclusion = "success" if roll < 0.82 else "failure" if roll < 0.95 else "cancelled"
    seconds = rng.randint(60, 300) if workflow.name == "Deploy" else rng.randint(90, 900)
    return conclusion, seconds


def new_run(
    store: Store,
    repo: Repository,
    workflow: Workflow,
    rng: random.Random,
    *,
    event: str,
    branch: str,
    sha: str,
    title: str,
    actor: str,
    created: datetime,
    pr_number: int | None = None,
) -> WorkflowRun:
    conclusion, seconds = plan_outcome(rng, workflow)
    previous = [r.run_number for r in repo.runs if r.workflow_id == workflow.id]
    return WorkflowRun(
        id=store.next_id("run"),
        workflow_id=workflow.id,
        run_number=(max(previous) + 1) if previous else rng.randint(100, 400),
        event=event,
        status="queued",
        conclusion=None,
        head_branch=branch,
        head_sha=sha,
        display_title=title.splitlines()[0] if title else title,
        actor=actor,
        created_at=created,
        run_started_at=created,
        updated_at=created,
        check_suite_id=store.next_id("check_suite"),
        pr_number=pr_number,
        planned_conclusion=conclusion,
        planned_seconds=seconds,
    )


def settle(run: WorkflowRun, now: datetime) -> None:
    """Bring a seeded run to the state it has at ``now``."""
    started = run.created_at + timedelta(seconds=5)
    finished = started + timedelta(seconds=run.planned_seconds)
    if now < started:
        run.status, run.updated_at = "queued", run.created_at
    elif now < finished:
        run.status, run.run_started_at, run.updated_at = "in_progress", started, started
    else:
        run.status, run.conclusion = "completed", run.planned_conclusion
        run.run_started_at, run.updated_at = started, finished


def seed_runs(seeder: RepoSeeder, repo: Repository) -> None:
    rng, store = seeder.rng, seeder.store
    ci, deploy = repo.workflows
    planned: list[tuple[datetime, Workflow, str, str, str, str, str, int | None]] = []
    for commit in repo.commits:
        if commit.date < seeder.window_start:
            continue
        actor = commit.author or seeder.member()
        created = commit.date + timedelta(seconds=rng.randint(3, 60))
        branch = repo.default_branch
        planned.append((created, ci, "push", branch, commit.sha, commit.message, actor, None))
        if rng.random() < 0.4:
            planned.append(
                (created, deploy, "push", branch, commit.sha, commit.message, actor, None)
            )
    for issue in store.pulls(repo):
        pull = issue.pull
        assert pull is not None
        for commit in pull.commits:
            if commit.date < seeder.window_start:
                continue
            created = commit.date + timedelta(seconds=rng.randint(3, 60))
            actor = issue.user
            planned.append(
                (
                    created,
                    ci,
                    "pull_request",
                    pull.head_ref,
                    commit.sha,
                    issue.title,
                    actor,
                    issue.number,
                )
            )
    planned.sort(key=lambda p: (p[0], p[1].id, p[4]))
    for created, workflow, event, branch, sha, title, actor, number in planned:
        if created >= seeder.now:
            continue
        run = new_run(
            store,
            repo,
            workflow,
            rng,
            event=event,
            branch=branch,
            sha=sha,
            title=title,
            actor=actor,
            created=created,
            pr_number=number,
        )
        settle(run, seeder.now)
        repo.runs.append(run)
