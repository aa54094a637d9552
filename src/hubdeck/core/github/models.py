"""GitHub data as HubDeck keeps it: the fields sync stores and the metrics read.

Plain, immutable values with no I/O. The GitHub client parses API and webhook payloads into
these; the store persists them; ``hubdeck.core.metrics`` computes from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AccountType(StrEnum):
    user = "User"
    bot = "Bot"
    organization = "Organization"


@dataclass(frozen=True, slots=True)
class Account:
    login: str
    id: int
    type: AccountType = AccountType.user
    avatar_url: str | None = None

    @property
    def is_bot(self) -> bool:
        # GitHub marks Apps as "Bot"; some bots are plain machine users named like one.
        return self.type is AccountType.bot or self.login.endswith("[bot]")


@dataclass(frozen=True, slots=True)
class Repository:
    github_id: int
    owner: str
    name: str
    private: bool
    default_branch: str
    html_url: str
    description: str | None = None
    stars: int = 0
    forks: int = 0
    watchers: int = 0
    open_issues: int = 0
    topics: tuple[str, ...] = ()
    language: str | None = None
    archived: bool = False
    pushed_at: datetime | None = None
    created_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


class IssueState(StrEnum):
    open = "open"
    closed = "closed"


@dataclass(frozen=True, slots=True)
class Issue:
    github_id: int
    number: int
    title: str
    author: Account
    state: IssueState
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    labels: tuple[str, ...] = ()
    comments: int = 0


@dataclass(frozen=True, slots=True)
class DraftPeriod:
    """A stretch of time a pull request spent as a draft (``end`` None: still a draft)."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class PullRequest:
    github_id: int
    number: int
    title: str
    author: Account
    state: IssueState
    draft: bool
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    first_commit_at: datetime | None = None
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0
    head_ref: str = ""
    base_ref: str = ""
    labels: tuple[str, ...] = ()
    requested_reviewers: tuple[str, ...] = ()
    draft_periods: tuple[DraftPeriod, ...] = ()

    @property
    def merged(self) -> bool:
        return self.merged_at is not None

    @property
    def size(self) -> int:
        return self.additions + self.deletions


class ReviewState(StrEnum):
    approved = "APPROVED"
    changes_requested = "CHANGES_REQUESTED"
    commented = "COMMENTED"
    dismissed = "DISMISSED"
    pending = "PENDING"


@dataclass(frozen=True, slots=True)
class Review:
    github_id: int
    pull_number: int
    author: Account
    state: ReviewState
    submitted_at: datetime | None
    body_length: int = 0


@dataclass(frozen=True, slots=True)
class Comment:
    """A conversation comment on an issue or pull request."""

    github_id: int
    issue_number: int
    author: Account
    created_at: datetime
    # Logins the comment @mentions (from its body; the body itself is not kept).
    mentions: tuple[str, ...] = ()


class RunConclusion(StrEnum):
    success = "success"
    failure = "failure"
    cancelled = "cancelled"
    skipped = "skipped"
    timed_out = "timed_out"
    action_required = "action_required"
    neutral = "neutral"
    stale = "stale"
    startup_failure = "startup_failure"


@dataclass(frozen=True, slots=True)
class WorkflowRun:
    github_id: int
    name: str
    head_branch: str
    event: str
    status: str  # queued, in_progress, completed, …
    conclusion: RunConclusion | None
    created_at: datetime
    updated_at: datetime
    run_started_at: datetime | None = None
    pull_numbers: tuple[int, ...] = ()
    actor: str | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.status != "completed" or self.run_started_at is None:
            return None
        return max(0.0, (self.updated_at - self.run_started_at).total_seconds())


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author_login: str | None  # None when the commit's e-mail maps to no GitHub account
    authored_at: datetime
    message_head: str = ""


@dataclass(frozen=True, slots=True)
class Release:
    github_id: int
    tag: str
    name: str | None
    published_at: datetime | None
    prerelease: bool = False
    draft: bool = False


@dataclass(frozen=True, slots=True)
class RepositorySnapshot:
    """Everything sync knows about one repository at one moment: the input of the metrics."""

    repository: Repository
    languages: dict[str, int] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    pulls: tuple[PullRequest, ...] = ()
    reviews: tuple[Review, ...] = ()
    comments: tuple[Comment, ...] = ()
    runs: tuple[WorkflowRun, ...] = ()
    commits: tuple[Commit, ...] = ()
    releases: tuple[Release, ...] = ()
