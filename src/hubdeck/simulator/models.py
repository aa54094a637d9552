"""The simulated GitHub entities, as plain mutable records.

They hold facts only; GitHub's JSON shapes are produced from them by ``render``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

UserType = Literal["User", "Bot", "Organization"]
ReviewState = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED"]


def node_id(type_name: str, ident: int) -> str:
    """GitHub's legacy global node id: base64 of ``0<len>:<Type><id>``."""
    return base64.b64encode(f"0{len(type_name)}:{type_name}{ident}".encode()).decode()


def fake_sha(*parts: object) -> str:
    """A 40-hex SHA derived from its inputs: stable across runs and machines."""
    return hashlib.sha1(
        "\x1f".join(str(p) for p in parts).encode(), usedforsecurity=False
    ).hexdigest()


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class User:
    id: int
    login: str
    name: str
    type: UserType
    email: str | None
    created_at: datetime
    member: bool = False
    company: str | None = None
    location: str | None = None
    bio: str | None = None

    @property
    def is_bot(self) -> bool:
        return self.type == "Bot"

    @property
    def commit_email(self) -> str:
        return self.email or f"{self.id}+{self.login}@users.noreply.github.com"


@dataclass(slots=True)
class Organization:
    id: int
    login: str
    name: str
    description: str
    created_at: datetime
    blog: str
    location: str


@dataclass(slots=True)
class Label:
    id: int
    name: str
    color: str
    description: str | None
    default: bool


@dataclass(slots=True)
class Commit:
    sha: str
    tree_sha: str
    message: str
    author: str | None  # login, None when the email matches no account
    author_name: str
    author_email: str
    date: datetime
    parents: list[str]
    committer_name: str = "GitHub"
    committer_email: str = "noreply@github.com"
    additions: int = 0
    deletions: int = 0
    files: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Comment:
    id: int
    issue_number: int
    user: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Review:
    id: int
    user: str
    state: ReviewState
    body: str
    submitted_at: datetime
    commit_id: str


@dataclass(slots=True)
class PullRequest:
    id: int
    head_ref: str
    base_ref: str
    base_sha: str
    draft: bool
    commits: list[Commit]
    additions: int
    deletions: int
    changed_files: int
    requested_reviewers: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    merged_at: datetime | None = None
    merged_by: str | None = None
    merge_commit_sha: str | None = None
    review_comments: int = 0

    @property
    def head_sha(self) -> str:
        return self.commits[-1].sha if self.commits else self.base_sha


@dataclass(slots=True)
class Issue:
    """An issue, or the issue half of a pull request (``pull`` set), like GitHub models it."""

    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    state: Literal["open", "closed"] = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    locked: bool = False
    pull: PullRequest | None = None


@dataclass(slots=True)
class Workflow:
    id: int
    name: str
    path: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class WorkflowRun:
    id: int
    workflow_id: int
    run_number: int
    event: str
    status: Literal["queued", "in_progress", "completed", "requested", "waiting"]
    conclusion: str | None
    head_branch: str
    head_sha: str
    display_title: str
    actor: str
    created_at: datetime
    run_started_at: datetime
    updated_at: datetime
    check_suite_id: int
    pr_number: int | None = None
    run_attempt: int = 1
    # Planned outcome and duration, used when the activity generator completes the run.
    planned_conclusion: str = "success"
    planned_seconds: int = 300


@dataclass(slots=True)
class Release:
    id: int
    tag_name: str
    name: str
    body: str
    author: str
    target_commitish: str
    created_at: datetime
    published_at: datetime | None
    draft: bool = False
    prerelease: bool = False


@dataclass(slots=True)
class Star:
    user: str
    starred_at: datetime


@dataclass(slots=True)
class Repository:
    id: int
    name: str
    owner: str
    owner_is_org: bool
    private: bool
    description: str | None
    created_at: datetime
    updated_at: datetime
    pushed_at: datetime
    default_branch: str
    languages: dict[str, int]
    topics: list[str]
    homepage: str | None
    license_key: str | None
    size: int
    subscribers_count: int
    labels: list[Label] = field(default_factory=list)
    issues: dict[int, Issue] = field(default_factory=dict)
    next_number: int = 1
    # Default-branch history, oldest first.
    commits: list[Commit] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    runs: list[WorkflowRun] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    stars: list[Star] = field(default_factory=list)
    forks: list[int] = field(default_factory=list)  # ids of fork repositories
    fork_of: int | None = None
    contributors: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def language(self) -> str | None:
        if not self.languages:
            return None
        return max(self.languages.items(), key=lambda item: (item[1], item[0]))[0]

    @property
    def head_sha(self) -> str:
        return self.commits[-1].sha if self.commits else fake_sha(self.id, "empty")

    @property
    def open_issues_count(self) -> int:
        return sum(1 for issue in self.issues.values() if issue.state == "open")

    def label(self, name: str) -> Label | None:
        for label in self.labels:
            if label.name == name:
                return label
        return None
