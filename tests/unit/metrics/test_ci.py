from __future__ import annotations

import pytest

from hubdeck.core.github.models import RepositorySnapshot
from hubdeck.core.github.models import RunConclusion as C
from hubdeck.core.metrics import Window, ci_report, ci_stats

from .factory import d, h, run, snapshot

WINDOW = Window(d(0), d(7))


def _repo() -> RepositorySnapshot:
    return snapshot(
        default_branch="main",
        runs=(
            run(1, created=h(1), seconds=600),
            run(2, created=h(2), conclusion=C.failure, seconds=300),
            # a fork's "main" in a pull request: not the default branch
            run(3, created=h(3), event="pull_request", seconds=120),
            run(4, created=h(4), branch="feature", conclusion=C.timed_out, seconds=900),
            run(5, name="Lint", created=h(5), conclusion=C.cancelled),
            run(6, name="Lint", created=h(6), conclusion=C.skipped, seconds=0),
            run(7, name="Lint", created=h(7), conclusion=None, status="in_progress"),
            run(8, name="Lint", created=h(8), conclusion=C.action_required, seconds=None),
            run(9, created=d(8), conclusion=C.failure),  # after the window
        ),
    )


def test_success_rate_counts_only_runs_that_judged_the_code() -> None:
    stats = ci_report(_repo(), WINDOW).all_runs
    assert (stats.runs, stats.completed, stats.succeeded, stats.failed) == (8, 7, 2, 2)
    assert stats.success_rate == 0.5
    assert stats.by_conclusion == {
        "action_required": 1,
        "cancelled": 1,
        "failure": 1,
        "skipped": 1,
        "success": 2,
        "timed_out": 1,
    }
    # durations of succeeded and failed runs: 120 300 600 900
    assert (stats.duration.count, stats.duration.p50, stats.duration.max) == (4, 450.0, 900.0)


def test_default_branch_leaves_out_pull_request_events_and_other_branches() -> None:
    stats = ci_report(_repo(), WINDOW).default_branch
    assert (stats.runs, stats.completed, stats.succeeded, stats.failed) == (6, 5, 1, 1)
    assert stats.success_rate == 0.5
    assert stats.duration.mean == 450.0


def test_per_workflow_and_failures() -> None:
    report = ci_report(_repo(), WINDOW, failures=1)
    assert [
        (w.repository, w.name, w.stats.runs, w.stats.success_rate) for w in report.workflows
    ] == [
        ("acme/app", "CI", 4, 0.5),
        ("acme/app", "Lint", 4, None),
    ]
    assert report.failures_total == 2
    (latest,) = report.failures
    assert (latest.id, latest.conclusion, latest.head_branch, latest.duration_seconds) == (
        4,
        "timed_out",
        "feature",
        900.0,
    )


def test_team_keeps_same_named_workflows_apart() -> None:
    other = snapshot("acme/api", repo_id=2, runs=(run(10, created=h(1), conclusion=C.failure),))
    report = ci_report([_repo(), other], WINDOW)
    assert [(w.repository, w.name) for w in report.workflows] == [
        ("acme/api", "CI"),
        ("acme/app", "CI"),
        ("acme/app", "Lint"),
    ]
    assert report.all_runs.success_rate == pytest.approx(2 / 5)
    assert [f.id for f in report.failures] == [4, 2, 10]


def test_no_runs_no_rate() -> None:
    stats = ci_stats([])
    assert (stats.runs, stats.success_rate, stats.duration.count, stats.by_conclusion) == (
        0,
        None,
        0,
        {},
    )
