"""Small builders for the metrics tests: readable inputs, explicit times."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hubdeck.core.github.models import (
    Account,
    AccountType,
    Comment,
    Commit,
    DraftPeriod,
    Issue,
    IssueState,
    PullRequest,
    Release,
    Repository,
    RepositorySnapshot,
    Review,
    ReviewState,
    RunConclusion,
    WorkflowRun,
)

# Monday 1 January 2024, 00:00 UTC: the first day of ISO week 2024-W01.
T0 = datetime(2024, 1, 1, tzinfo=UTC)
HOUR = 3600.0
DAY = 86400.0

_next_id = itertools.count(1)
_ids = {"alice": 1, "bob": 2, "carol": 3, "dave": 4, "dependabot[bot]": 49699333}


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def d(days: float) -> datetime:
    return T0 + timedelta(days=days)


def account(login: str, *, bot: bool = False, id: int | None = None) -> Account:
    return Account(
        login=login,
        id=id if id is not None else _ids.get(login, 1000 + len(login)),
        type=AccountType.bot if bot else AccountType.user,
    )


ALICE = account("alice")
BOB = account("bob")
CAROL = account("carol")
DAVE = account("dave")
DEPENDABOT = account("dependabot[bot]", bot=True)


def draft(start: datetime, end: datetime | None) -> DraftPeriod:
    return DraftPeriod(start=start, end=end)


def pull(
    number: int,
    *,
    author: Account = ALICE,
    created: datetime = T0,
    merged: datetime | None = None,
    closed: datetime | None = None,
    first_commit: datetime | None = None,
    drafts: tuple[DraftPeriod, ...] = (),
    is_draft: bool = False,
    additions: int = 0,
    deletions: int = 0,
    base_ref: str = "main",
    updated: datetime | None = None,
) -> PullRequest:
    if merged is not None and closed is None:
        closed = merged
    return PullRequest(
        github_id=10_000 + number,
        number=number,
        title=f"PR {number}",
        author=author,
        state=IssueState.closed if closed is not None else IssueState.open,
        draft=is_draft,
        created_at=created,
        updated_at=updated or closed or created,
        closed_at=closed,
        merged_at=merged,
        first_commit_at=first_commit,
        additions=additions,
        deletions=deletions,
        base_ref=base_ref,
        draft_periods=drafts,
    )


def review(
    number: int,
    author: Account,
    at: datetime | None,
    state: ReviewState = ReviewState.approved,
) -> Review:
    return Review(
        github_id=next(_next_id),
        pull_number=number,
        author=author,
        state=state,
        submitted_at=at,
    )


def comment(number: int, author: Account, at: datetime) -> Comment:
    return Comment(
        github_id=next(_next_id),
        issue_number=number,
        author=author,
        created_at=at,
    )


def issue(
    number: int,
    *,
    author: Account = ALICE,
    created: datetime = T0,
    closed: datetime | None = None,
    state: IssueState | None = None,
    updated: datetime | None = None,
) -> Issue:
    return Issue(
        github_id=20_000 + number,
        number=number,
        title=f"Issue {number}",
        author=author,
        state=state or (IssueState.closed if closed is not None else IssueState.open),
        created_at=created,
        updated_at=updated or closed or created,
        closed_at=closed,
    )


def run(
    run_id: int,
    *,
    name: str = "CI",
    branch: str = "main",
    event: str = "push",
    conclusion: RunConclusion | None = RunConclusion.success,
    created: datetime = T0,
    seconds: float | None = 60.0,
    status: str = "completed",
) -> WorkflowRun:
    return WorkflowRun(
        github_id=run_id,
        name=name,
        head_branch=branch,
        event=event,
        status=status,
        conclusion=conclusion,
        created_at=created,
        updated_at=created + timedelta(seconds=seconds or 0),
        run_started_at=created if seconds is not None else None,
    )


def commit(sha: str, login: str | None, at: datetime) -> Commit:
    return Commit(sha=sha, author_login=login, authored_at=at)


def release(
    tag: str,
    at: datetime | None,
    *,
    prerelease: bool = False,
    is_draft: bool = False,
) -> Release:
    return Release(
        github_id=next(_next_id),
        tag=tag,
        name=tag,
        published_at=at,
        prerelease=prerelease,
        draft=is_draft,
    )


def snapshot(
    name: str = "acme/app",
    *,
    repo_id: int = 1,
    default_branch: str = "main",
    languages: dict[str, int] | None = None,
    issues: tuple[Issue, ...] = (),
    pulls: tuple[PullRequest, ...] = (),
    reviews: tuple[Review, ...] = (),
    comments: tuple[Comment, ...] = (),
    runs: tuple[WorkflowRun, ...] = (),
    commits: tuple[Commit, ...] = (),
    releases: tuple[Release, ...] = (),
) -> RepositorySnapshot:
    owner, repo = name.split("/")
    return RepositorySnapshot(
        repository=Repository(
            github_id=repo_id,
            owner=owner,
            name=repo,
            private=False,
            default_branch=default_branch,
            html_url=f"https://github.com/{name}",
        ),
        languages=languages or {},
        issues=issues,
        pulls=pulls,
        reviews=reviews,
        comments=comments,
        runs=runs,
        commits=commits,
        releases=releases,
    )
