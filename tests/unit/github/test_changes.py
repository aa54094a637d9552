"""Change rules: stored vs fetched GitHub objects become the right events, and no change none."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hubdeck.core.github import codec
from hubdeck.core.github.changes import (
    commit_changes,
    object_changes,
    repository_changes,
)
from hubdeck.core.github.models import (
    Account,
    AccountType,
    Comment,
    Commit,
    Issue,
    IssueState,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewState,
    RunConclusion,
    WorkflowRun,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ALICE = Account("alice", 1)
BOT = Account("dependabot[bot]", 2, AccountType.bot)


def pull(**changes: object) -> PullRequest:
    base = PullRequest(
        github_id=10,
        number=7,
        title="Add cache",
        author=ALICE,
        state=IssueState.open,
        draft=False,
        created_at=T0,
        updated_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def issue(**changes: object) -> Issue:
    base = Issue(
        github_id=20,
        number=3,
        title="Bug",
        author=ALICE,
        state=IssueState.open,
        created_at=T0,
        updated_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def run(**changes: object) -> WorkflowRun:
    base = WorkflowRun(
        github_id=30,
        name="CI",
        head_branch="main",
        event="push",
        status="in_progress",
        conclusion=None,
        created_at=T0,
        updated_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def types(changes: list[object]) -> list[str]:
    return [c.type for c in changes]  # type: ignore[attr-defined]


def test_unchanged_objects_emit_nothing() -> None:
    for value in (pull(), issue(), run()):
        assert object_changes(value, value, T0) == []
        # The same object after a storage round trip is still "unchanged".
        assert object_changes(codec.load(type(value), codec.dump(value)), value, T0) == []


def test_new_pull_request() -> None:
    changes = object_changes(None, pull(requested_reviewers=("bob",)), T0)
    assert types(changes) == ["pull_request.opened", "pull_request.review_requested"]
    assert changes[0].actor == "alice"
    assert changes[1].data["reviewers"] == ["bob"]


def test_pull_request_lifecycle() -> None:
    merged = pull(
        state=IssueState.closed,
        merged_at=T0 + timedelta(hours=3),
        closed_at=T0 + timedelta(hours=3),
    )
    assert types(object_changes(pull(), merged, T0)) == ["pull_request.merged"]
    closed = pull(state=IssueState.closed, closed_at=T0 + timedelta(hours=1))
    assert types(object_changes(pull(), closed, T0)) == ["pull_request.closed"]
    assert types(object_changes(closed, pull(updated_at=T0 + timedelta(hours=2)), T0)) == [
        "pull_request.reopened"
    ]
    assert types(object_changes(pull(draft=True), pull(), T0)) == ["pull_request.ready_for_review"]
    assert types(object_changes(pull(), pull(draft=True), T0)) == [
        "pull_request.converted_to_draft"
    ]


def test_only_newly_requested_reviewers_are_announced() -> None:
    changes = object_changes(
        pull(requested_reviewers=("bob",)), pull(requested_reviewers=("bob", "carol")), T0
    )
    assert types(changes) == ["pull_request.review_requested"]
    assert changes[0].data["reviewers"] == ["carol"]


def test_other_pull_request_edits_are_updates_with_the_delta() -> None:
    changes = object_changes(pull(), pull(title="Add a cache", additions=12), T0)
    assert types(changes) == ["pull_request.updated"]
    assert changes[0].data["title"] == "Add a cache"
    assert changes[0].data["additions"] == 12
    assert "deletions" not in changes[0].data


def test_issue_rules() -> None:
    assert types(object_changes(None, issue(), T0)) == ["issue.opened"]
    closed = issue(state=IssueState.closed, closed_at=T0 + timedelta(days=1))
    assert types(object_changes(issue(), closed, T0)) == ["issue.closed"]
    assert types(object_changes(closed, issue(), T0)) == ["issue.reopened"]
    labeled = object_changes(issue(labels=("bug",)), issue(labels=("bug", "p1")), T0)
    assert types(labeled) == ["issue.labeled"]
    assert labeled[0].data["labels"] == ["p1"]


def test_workflow_runs() -> None:
    failed = run(status="completed", conclusion=RunConclusion.failure)
    assert types(object_changes(run(), failed, T0)) == ["workflow_run.failed"]
    assert types(
        object_changes(None, run(status="completed", conclusion=RunConclusion.success), T0)
    ) == ["workflow_run.succeeded"]
    assert types(object_changes(None, run(), T0)) == ["workflow_run.updated"]
    # A run whose status and conclusion did not change emits nothing, whatever else moved.
    assert object_changes(failed, replace(failed, updated_at=T0 + timedelta(minutes=1)), T0) == []


def test_reviews_comments_and_releases_are_announced_once() -> None:
    review = Review(40, 7, Account("bob", 3), ReviewState.approved, T0)
    assert types(object_changes(None, review, T0)) == ["pull_request.reviewed"]
    assert object_changes(review, replace(review, body_length=5), T0) == []
    comment = Comment(50, 3, BOT, T0)
    assert types(object_changes(None, comment, T0)) == ["comment.created"]
    release = Release(60, "v1.0", "One", T0)
    assert types(object_changes(None, release, T0)) == ["release.published"]
    assert object_changes(release, replace(release, name="One!"), T0) == []
    draft = Release(61, "v1.1", None, None, draft=True)
    assert object_changes(None, draft, T0) == []


def test_commits_are_summarised_per_batch() -> None:
    commits = [Commit("a" * 40, "alice", T0), Commit("b" * 40, "alice", T0 + timedelta(hours=1))]
    (change,) = commit_changes(commits, T0)
    assert change.type == "commit.pushed"
    assert change.data["count"] == 2
    assert change.actor == "alice"
    assert change.occurred_at == T0 + timedelta(hours=1)
    assert commit_changes([], T0) == []


def test_repository_rules() -> None:
    repo = Repository(1, "acme", "api", False, "main", "https://github.com/acme/api", stars=5)
    assert repository_changes(None, repo, T0) == []  # first sight is a baseline, not a change
    assert repository_changes(repo, repo, T0) == []
    starred = repository_changes(repo, replace(repo, stars=7), T0)
    assert types(starred) == ["repository.starred"]
    assert starred[0].data == {"stars": 7, "added": 2}
    assert types(repository_changes(repo, replace(repo, topics=("api",)), T0)) == [
        "repository.updated"
    ]
    assert repository_changes(repo, replace(repo, stars=4), T0) == []
