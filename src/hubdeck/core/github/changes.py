"""What changed between the stored and the fetched version of a GitHub object, as event drafts.

Pure: sync and webhook ingest both call this, so a change seen twice (a webhook, then the next
poll) produces events once — the second time the stored version already equals the new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hubdeck.core.github.models import (
    Comment,
    Commit,
    Issue,
    IssueState,
    PullRequest,
    Release,
    Repository,
    Review,
    RunConclusion,
    WorkflowRun,
)


@dataclass(frozen=True, slots=True)
class Change:
    type: str
    subject: str
    occurred_at: datetime
    actor: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def repository_changes(old: Repository | None, new: Repository, now: datetime) -> list[Change]:
    if old is None or old == new:
        return []
    subject = new.full_name
    changes: list[Change] = []
    if new.stars > old.stars:
        changes.append(
            Change(
                "repository.starred",
                subject,
                now,
                data={"stars": new.stars, "added": new.stars - old.stars},
            )
        )
    fields = {
        name: getattr(new, name)
        for name in ("description", "topics", "default_branch", "language", "archived", "private")
        if getattr(new, name) != getattr(old, name)
    }
    if fields:
        changes.append(Change("repository.updated", subject, now, data=_jsonable(fields)))
    return changes


def object_changes(old: object | None, new: object, now: datetime) -> list[Change]:
    """Events for one object; ``old`` None means it was not stored before."""
    if old == new:
        return []
    if isinstance(new, PullRequest):
        return _pull(old if isinstance(old, PullRequest) else None, new)
    if isinstance(new, Issue):
        return _issue(old if isinstance(old, Issue) else None, new)
    if isinstance(new, Review):
        return [] if old is not None else _review(new, now)
    if isinstance(new, Comment):
        if old is not None:
            return []
        return [
            Change(
                "comment.created",
                f"#{new.issue_number}",
                new.created_at,
                new.author.login,
                {
                    "issue_number": new.issue_number,
                    "comment_id": new.github_id,
                    "mentions": list(new.mentions),
                },
            )
        ]
    if isinstance(new, WorkflowRun):
        return _run(old if isinstance(old, WorkflowRun) else None, new)
    if isinstance(new, Release):
        if (old is None or not isinstance(old, Release) or old.published_at is None) and (
            new.published_at is not None and not new.draft
        ):
            return [
                Change(
                    "release.published",
                    new.tag,
                    new.published_at,
                    data={"tag": new.tag, "name": new.name, "prerelease": new.prerelease},
                )
            ]
        return []
    if isinstance(new, Commit):
        return []  # commits are summarised per batch by ``commit_changes``
    raise TypeError(f"no change rules for {type(new).__name__}")


def commit_changes(new_commits: list[Commit], now: datetime) -> list[Change]:
    if not new_commits:
        return []
    authors = sorted({c.author_login for c in new_commits if c.author_login})
    latest = max(c.authored_at for c in new_commits)
    return [
        Change(
            "commit.pushed",
            "commits",
            latest,
            authors[0] if len(authors) == 1 else None,
            {
                "count": len(new_commits),
                "authors": authors,
                "shas": [c.sha for c in new_commits[:20]],
            },
        )
    ]


def _pull(old: PullRequest | None, new: PullRequest) -> list[Change]:
    subject = f"#{new.number}"
    base = {"number": new.number, "title": new.title, "author": new.author.login}
    if old is None:
        changes = [
            Change(
                "pull_request.opened",
                subject,
                new.created_at,
                new.author.login,
                {**base, "draft": new.draft},
            )
        ]
        if new.requested_reviewers:
            changes.append(_review_requested(new, new.requested_reviewers, new.created_at))
        if new.merged_at is not None:
            changes.append(Change("pull_request.merged", subject, new.merged_at, None, base))
        elif new.state is IssueState.closed and new.closed_at is not None:
            changes.append(Change("pull_request.closed", subject, new.closed_at, None, base))
        return changes
    changes = []
    if new.merged_at is not None and old.merged_at is None:
        changes.append(Change("pull_request.merged", subject, new.merged_at, None, base))
    elif new.state is IssueState.closed and old.state is IssueState.open:
        changes.append(
            Change("pull_request.closed", subject, new.closed_at or new.updated_at, None, base)
        )
    elif new.state is IssueState.open and old.state is IssueState.closed:
        changes.append(Change("pull_request.reopened", subject, new.updated_at, None, base))
    if old.draft and not new.draft:
        changes.append(
            Change("pull_request.ready_for_review", subject, new.updated_at, new.author.login, base)
        )
    elif new.draft and not old.draft:
        changes.append(
            Change(
                "pull_request.converted_to_draft", subject, new.updated_at, new.author.login, base
            )
        )
    added = tuple(r for r in new.requested_reviewers if r not in old.requested_reviewers)
    if added:
        changes.append(_review_requested(new, added, new.updated_at))
    if not changes:
        changes.append(
            Change(
                "pull_request.updated", subject, new.updated_at, None, {**base, **_diff(old, new)}
            )
        )
    return changes


def _review_requested(pull: PullRequest, reviewers: tuple[str, ...], when: datetime) -> Change:
    return Change(
        "pull_request.review_requested",
        f"#{pull.number}",
        when,
        pull.author.login,
        {
            "number": pull.number,
            "title": pull.title,
            "author": pull.author.login,
            "reviewers": list(reviewers),
        },
    )


def _issue(old: Issue | None, new: Issue) -> list[Change]:
    subject = f"#{new.number}"
    base = {"number": new.number, "title": new.title, "author": new.author.login}
    if old is None:
        changes = [
            Change(
                "issue.opened",
                subject,
                new.created_at,
                new.author.login,
                {**base, "labels": list(new.labels)},
            )
        ]
        if new.state is IssueState.closed and new.closed_at is not None:
            changes.append(Change("issue.closed", subject, new.closed_at, None, base))
        return changes
    changes = []
    if new.state is IssueState.closed and old.state is IssueState.open:
        changes.append(Change("issue.closed", subject, new.closed_at or new.updated_at, None, base))
    elif new.state is IssueState.open and old.state is IssueState.closed:
        changes.append(Change("issue.reopened", subject, new.updated_at, None, base))
    added = [label for label in new.labels if label not in old.labels]
    if added:
        changes.append(
            Change("issue.labeled", subject, new.updated_at, None, {**base, "labels": added})
        )
    if not changes:
        changes.append(
            Change("issue.updated", subject, new.updated_at, None, {**base, **_diff(old, new)})
        )
    return changes


def _review(new: Review, now: datetime) -> list[Change]:
    return [
        Change(
            "pull_request.reviewed",
            f"#{new.pull_number}",
            new.submitted_at or now,
            new.author.login,
            {"number": new.pull_number, "state": new.state.value, "reviewer": new.author.login},
        )
    ]


_FAILED = {RunConclusion.failure, RunConclusion.timed_out, RunConclusion.startup_failure}


def _run(old: WorkflowRun | None, new: WorkflowRun) -> list[Change]:
    if old is not None and old.status == new.status and old.conclusion == new.conclusion:
        return []
    data = {
        "run_id": new.github_id,
        "name": new.name,
        "branch": new.head_branch,
        "event": new.event,
        "status": new.status,
        "conclusion": None if new.conclusion is None else new.conclusion.value,
        "pull_numbers": list(new.pull_numbers),
    }
    subject = f"run {new.github_id}"
    if new.status == "completed" and new.conclusion is RunConclusion.success:
        return [Change("workflow_run.succeeded", subject, new.updated_at, new.actor, data)]
    if new.status == "completed" and new.conclusion in _FAILED:
        return [Change("workflow_run.failed", subject, new.updated_at, new.actor, data)]
    return [Change("workflow_run.updated", subject, new.updated_at, new.actor, data)]


def _diff(old: object, new: object) -> dict[str, Any]:
    names = ("title", "labels", "comments", "additions", "deletions", "changed_files", "head_ref")
    return _jsonable(
        {
            name: getattr(new, name)
            for name in names
            if hasattr(new, name) and getattr(new, name) != getattr(old, name)
        }
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
