"""What people do on GitHub, as verbs: each changes the store, then emits the webhook(s)
GitHub would send for it. REST reads the same store, so a change is visible at once."""

from __future__ import annotations

import random

from . import text
from .models import (
    Comment,
    Commit,
    Issue,
    Label,
    Release,
    Repository,
    Star,
    Workflow,
    WorkflowRun,
    fake_sha,
)
from .mutations_pulls import PullRequestMutations
from .seed import DEFAULT_LABELS
from .seed_community import fork_repository


class Mutations(PullRequestMutations):
    """Every verb; ``MutationsBase`` holds the plumbing, ``PullRequestMutations`` the PR verbs."""

    # -- meta --------------------------------------------------------------------------------
    def ping(self, zen_index: int = 0) -> None:
        payload = self.payloads.ping(
            self.sender.hook_id, self.sender.url, self.clock.now(), zen_index
        )
        self._emit("ping", None, payload)

    def install_app(self, sender: str) -> None:
        self._emit(
            "installation",
            "created",
            self.payloads.installation("created", sender, self.clock.now()),
        )

    def create_repository(self, name: str, sender: str, rng: random.Random) -> Repository:
        now = self.clock.now()
        repo = Repository(
            id=self.store.next_id("repo"),
            name=name,
            owner=self.store.org.login,
            owner_is_org=True,
            private=False,
            description=f"The {name} of {self.store.org.name}",
            created_at=now,
            updated_at=now,
            pushed_at=now,
            default_branch="main",
            languages={"Python": 1200},
            topics=[],
            homepage=None,
            license_key="mit",
            size=1,
            subscribers_count=1,
        )
        self.store.add_repo(repo)
        first = self._commit(repo, sender, "Initial commit", fake_sha(repo.id, "root"), rng)
        first.parents = []
        repo.commits.append(first)
        repo.labels = [
            Label(self.store.next_id("label"), label, color, description, label != "dependencies")
            for label, color, description in DEFAULT_LABELS
        ]
        repo.workflows = [
            Workflow(self.store.next_id("workflow"), "CI", ".github/workflows/ci.yml", now, now),
            Workflow(
                self.store.next_id("workflow"), "Deploy", ".github/workflows/deploy.yml", now, now
            ),
        ]
        repo.contributors.add(sender)
        self._emit("repository", "created", self.payloads.repository("created", repo, sender))
        return repo

    # -- issues ------------------------------------------------------------------------------
    def open_issue(
        self, repo: Repository, author: str, title: str, body: str | None = None
    ) -> Issue:
        now = self.clock.now()
        issue = Issue(
            id=self.store.next_id("issue"),
            number=repo.next_number,
            title=title,
            body=body,
            user=author,
            created_at=now,
            updated_at=now,
        )
        repo.next_number += 1
        repo.issues[issue.number] = issue
        self._touch(repo)
        self._emit("issues", "opened", self.payloads.issues("opened", repo, issue, author))
        return issue

    def label_issue(self, repo: Repository, issue: Issue, label: str, sender: str) -> None:
        if label not in issue.labels:
            issue.labels.append(label)
        self._touch(repo, issue)
        self._emit(
            "issues", "labeled", self.payloads.issues("labeled", repo, issue, sender, label=label)
        )

    def close_issue(
        self, repo: Repository, issue: Issue, sender: str, reason: str = "completed"
    ) -> None:
        now = self._touch(repo, issue)
        issue.state, issue.closed_at, issue.closed_by, issue.state_reason = (
            "closed",
            now,
            sender,
            reason,
        )
        self._emit("issues", "closed", self.payloads.issues("closed", repo, issue, sender))

    def reopen_issue(self, repo: Repository, issue: Issue, sender: str) -> None:
        self._touch(repo, issue)
        issue.state, issue.closed_at, issue.closed_by, issue.state_reason = (
            "open",
            None,
            None,
            "reopened",
        )
        self._emit("issues", "reopened", self.payloads.issues("reopened", repo, issue, sender))

    def comment(self, repo: Repository, issue: Issue, author: str, body: str) -> Comment:
        now = self._touch(repo, issue)
        comment = Comment(self.store.next_id("comment"), issue.number, author, body, now, now)
        issue.comments.append(comment)
        self._emit("issue_comment", "created", self.payloads.issue_comment(repo, issue, comment))
        return comment

    def star(self, repo: Repository, login: str) -> Star:
        star = Star(self.store.require_user(login).login, self._touch(repo))
        repo.stars.append(star)
        self._emit("star", "created", self.payloads.star("created", repo, star))
        return star

    def fork(self, repo: Repository, login: str) -> Repository:
        forkee = fork_repository(self.store, repo, login, self._touch(repo))
        self._emit("fork", None, self.payloads.fork(repo, forkee, login))
        return forkee

    # -- code, runs, releases ----------------------------------------------------------------
    def push_default(
        self, repo: Repository, author: str, count: int, rng: random.Random
    ) -> list[Commit]:
        before = repo.head_sha
        commits: list[Commit] = []
        for _ in range(count):
            parent = commits[-1].sha if commits else before
            commits.append(self._commit(repo, author, text.commit_message(rng), parent, rng))
        return self._pushed_to_default(repo, before, commits, author, rng)

    def progress_run(self, repo: Repository, run: WorkflowRun) -> None:
        now = self.clock.now()
        run.status, run.run_started_at, run.updated_at = "in_progress", now, now
        self._emit(
            "workflow_run", "in_progress", self.payloads.workflow_run("in_progress", repo, run)
        )

    def complete_run(self, repo: Repository, run: WorkflowRun) -> None:
        run.status, run.conclusion, run.updated_at = (
            "completed",
            run.planned_conclusion,
            self.clock.now(),
        )
        self._emit("workflow_run", "completed", self.payloads.workflow_run("completed", repo, run))

    def publish_release(self, repo: Repository, author: str) -> Release:
        now = self._touch(repo)
        last = repo.releases[-1].tag_name if repo.releases else "v0.0.0"
        parts = last.lstrip("v").split("-")[0].split(".")
        major, minor = (int(parts[0]), int(parts[1])) if len(parts) >= 2 else (0, 0)
        tag = f"v{major}.{minor + 1}.0"
        release = Release(
            self.store.next_id("release"),
            tag,
            tag,
            f"## What's Changed\n* Release {tag}",
            author,
            repo.default_branch,
            now,
            now,
        )
        repo.releases.append(release)
        self._emit(
            "release", "published", self.payloads.release("published", repo, release, author)
        )
        return release
