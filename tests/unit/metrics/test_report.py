from __future__ import annotations

import json

import pytest
from pydantic import TypeAdapter

from hubdeck.core.github.models import RepositorySnapshot, RunConclusion
from hubdeck.core.metrics import MetricsOptions, MetricsReport, Window, metrics_report

from .factory import (
    BOB,
    HOUR,
    comment,
    commit,
    d,
    draft,
    h,
    issue,
    pull,
    release,
    review,
    run,
    snapshot,
)

WINDOW = Window(d(0), d(14))
NOW = d(14)


def _team() -> list[RepositorySnapshot]:
    app = snapshot(
        "acme/app",
        repo_id=1,
        languages={"Python": 900, "Shell": 100},
        pulls=(
            pull(1, first_commit=h(0), created=h(1), merged=h(1)),  # cycle 1 h
            pull(2, first_commit=h(0), created=h(1), merged=h(2)),  # cycle 2 h
            pull(3, first_commit=h(0), created=h(1), merged=h(3), drafts=(draft(h(1), h(2)),)),
            pull(4, created=h(5)),
        ),
        reviews=(review(1, BOB, h(1)), review(3, BOB, h(2.5))),
        comments=(comment(4, BOB, h(6)),),
        issues=(issue(1, created=d(1), closed=d(2)), issue(2, created=d(3))),
        runs=(run(1, created=h(1)), run(2, created=h(2), conclusion=RunConclusion.failure)),
        commits=(commit("a", "alice", h(0)),),
        releases=(release("v1", d(3)),),
    )
    api = snapshot(
        "acme/api",
        repo_id=2,
        languages={"Go": 1000},
        pulls=(pull(1, first_commit=h(0), created=h(1), merged=h(10)),),  # cycle 10 h
        reviews=(review(1, BOB, h(9)),),
        commits=(commit("b", "bob", h(30)),),
    )
    return [app, api]


def test_team_numbers_pool_raw_items_not_averages() -> None:
    report = metrics_report(_team(), WINDOW, now=NOW)
    # cycles: app 1, 2, 2 (3 h less 1 h as a draft) and api 10: the median of the four is 2 h,
    # where the mean of the per-repository medians would be 6 h.
    assert report.stages.cycle.count == 4
    assert report.stages.cycle.p50 == 2 * HOUR
    assert report.stages.cycle.mean == pytest.approx(15 * HOUR / 4)
    assert report.repositories == ("acme/app", "acme/api")
    assert report.languages.languages[0].name == "Go"
    assert report.languages.languages[0].share == pytest.approx(1000 / 2000)
    assert report.contributors.contributors[0].login == "alice"
    assert report.ci.all_runs.success_rate == 0.5
    assert report.commit_heatmap.total == 2
    assert report.lead_time.without_releases == 1  # api has never released


def test_the_same_repository_twice_is_refused() -> None:
    app = _team()[0]
    with pytest.raises(ValueError, match="twice"):
        metrics_report([app, app], WINDOW, now=NOW)


def test_report_serialises_to_json() -> None:
    report = metrics_report(_team(), WINDOW, now=NOW, options=MetricsOptions(timezone="Asia/Tokyo"))
    adapter = TypeAdapter(MetricsReport)
    data = json.loads(adapter.dump_json(report))
    assert data["stages"]["cycle"]["count"] == 4
    assert data["window"] == {"start": "2024-01-01T00:00:00Z", "end": "2024-01-15T00:00:00Z"}
    assert data["ci"]["all_runs"]["by_conclusion"] == {"failure": 1, "success": 1}
    assert data["commit_heatmap"]["timezone"] == "Asia/Tokyo"
    assert len(data["commit_heatmap"]["counts"]) == 7
    assert adapter.validate_python(data) == report  # and back, losslessly


def test_report_of_nothing_is_all_empty_and_never_divides_by_zero() -> None:
    report = metrics_report(snapshot(), WINDOW, now=NOW)
    assert report.stages.cycle.count == 0
    assert report.merge_rate.rate is None
    assert report.review_depth.reviews_per_pull is None
    assert report.ci.all_runs.success_rate is None
    assert report.languages.languages == ()
    assert report.deployment_frequency.per_week == 0.0
    assert report.lead_time.lead_time.mean is None
    assert report.issue_resolution.p90 is None
    assert [w.week for w in report.throughput.weeks] == ["2024-W01", "2024-W02"]
    json.loads(TypeAdapter(MetricsReport).dump_json(report))
