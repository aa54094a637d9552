"""Continuous integration: success rate, durations, per workflow, on the default branch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hubdeck.core.github.models import RunConclusion, WorkflowRun
from hubdeck.core.metrics.common import Snapshots, as_snapshots
from hubdeck.core.metrics.stats import Distribution, distribution, ratio
from hubdeck.core.metrics.window import Window

# What a completed run's conclusion says about the code it ran on.
PASSED = frozenset({RunConclusion.success})
FAILED = frozenset({RunConclusion.failure, RunConclusion.timed_out, RunConclusion.startup_failure})
# cancelled, skipped, neutral, action_required and stale say nothing about the code (someone
# stopped the run, a condition skipped it, it awaits approval, GitHub gave up waiting): they are
# counted in ``by_conclusion`` but left out of the success rate and the durations.
DEFAULT_FAILURES = 20
# Events whose runs report the pull request's head branch, whatever its name: a fork's "main" is
# not this repository's default branch.
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


@dataclass(frozen=True, slots=True)
class CIStats:
    runs: int  # runs created in the window, whatever their state
    completed: int
    succeeded: int
    failed: int  # failure, timed_out, startup_failure
    success_rate: float | None  # succeeded / (succeeded + failed); None when both are 0
    duration: Distribution  # seconds, of succeeded and failed runs that have a start time
    by_conclusion: dict[str, int]  # completed runs per conclusion, all conclusions


@dataclass(frozen=True, slots=True)
class WorkflowCI:
    repository: str
    name: str
    stats: CIStats


@dataclass(frozen=True, slots=True)
class FailedRun:
    repository: str
    id: int
    name: str
    head_branch: str
    event: str
    conclusion: str
    created_at: datetime
    duration_seconds: float | None
    pull_numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CIReport:
    all_runs: CIStats
    default_branch: CIStats  # pushes, schedules… on each repository's default branch
    workflows: tuple[WorkflowCI, ...]  # by repository, then workflow name
    failures: tuple[FailedRun, ...]  # most recent first, at most ``failures`` of them
    failures_total: int


def ci_stats(runs: Iterable[WorkflowRun]) -> CIStats:
    listed = list(runs)
    completed = [run for run in listed if run.status == "completed" and run.conclusion is not None]
    decided = [run for run in completed if run.conclusion in PASSED | FAILED]
    succeeded = sum(1 for run in decided if run.conclusion in PASSED)
    failed = len(decided) - succeeded
    durations = [run.duration_seconds for run in decided]
    by_conclusion = Counter(str(run.conclusion) for run in completed)
    return CIStats(
        runs=len(listed),
        completed=len(completed),
        succeeded=succeeded,
        failed=failed,
        success_rate=ratio(succeeded, succeeded + failed),
        duration=distribution(d for d in durations if d is not None),
        by_conclusion=dict(sorted(by_conclusion.items())),
    )


def on_default_branch(run: WorkflowRun, default_branch: str) -> bool:
    return run.head_branch == default_branch and run.event not in PULL_REQUEST_EVENTS


def ci_report(
    snapshots: Snapshots, window: Window, *, failures: int = DEFAULT_FAILURES
) -> CIReport:
    """Workflow runs created in the window (a run belongs to the window it was created in)."""
    everything: list[WorkflowRun] = []
    default: list[WorkflowRun] = []
    per_workflow: dict[tuple[str, str], list[WorkflowRun]] = {}
    failed: list[FailedRun] = []
    for snapshot in as_snapshots(snapshots):
        repository = snapshot.repository.full_name
        for run in snapshot.runs:
            if run.created_at not in window:
                continue
            everything.append(run)
            per_workflow.setdefault((repository, run.name), []).append(run)
            if on_default_branch(run, snapshot.repository.default_branch):
                default.append(run)
            if run.status == "completed" and run.conclusion in FAILED:
                failed.append(_failed(repository, run))
    failed.sort(key=lambda run: (run.created_at, run.repository, run.id), reverse=True)
    return CIReport(
        all_runs=ci_stats(everything),
        default_branch=ci_stats(default),
        workflows=tuple(
            WorkflowCI(repository=repository, name=name, stats=ci_stats(runs))
            for (repository, name), runs in sorted(per_workflow.items())
        ),
        failures=tuple(failed[:failures]),
        failures_total=len(failed),
    )


def _failed(repository: str, run: WorkflowRun) -> FailedRun:
    return FailedRun(
        repository=repository,
        id=run.github_id,
        name=run.name,
        head_branch=run.head_branch,
        event=run.event,
        conclusion=str(run.conclusion),
        created_at=run.created_at,
        duration_seconds=run.duration_seconds,
        pull_numbers=run.pull_numbers,
    )
