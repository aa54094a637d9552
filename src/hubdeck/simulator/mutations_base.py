"""The shared part of the mutation verbs: emitting webhooks, touching timestamps, making
commits, starting workflow runs."""

from __future__ import annotations

import random
from datetime import datetime

from . import text
from .clock import Clock
from .models import Commit, Issue, Repository, WorkflowRun, fake_sha
from .payloads import Payloads
from .seed_runs import new_run
from .state import Store
from .webhooks import Delivery, WebhookSender


class MutationsBase:
    def __init__(
        self, store: Store, payloads: Payloads, clock: Clock, sender: WebhookSender
    ) -> None:
        self.store = store
        self.payloads = payloads
        self.clock = clock
        self.sender = sender
        self._emitted: list[Delivery] = []

    def _emit(self, event: str, action: str | None, payload: dict[str, object]) -> None:
        self._emitted.append(self.sender.emit(event, action, payload))

    def take_emitted(self) -> list[Delivery]:
        emitted, self._emitted = self._emitted, []
        return emitted

    def _touch(
        self, repo: Repository, issue: Issue | None = None, *, pushed: bool = False
    ) -> datetime:
        now = self.clock.now()
        repo.updated_at = max(repo.updated_at, now)
        if pushed:
            repo.pushed_at = max(repo.pushed_at, now)
        if issue is not None:
            issue.updated_at = max(issue.updated_at, now)
        return now

    def _commit(
        self, repo: Repository, author: str, message: str, parent: str, rng: random.Random
    ) -> Commit:
        user = self.store.require_user(author)
        now = self.clock.now()
        additions = rng.randint(1, 300)
        sha = fake_sha(repo.id, "live", parent, message, now.isoformat(), rng.random())
        return Commit(
            sha=sha,
            tree_sha=fake_sha("tree", sha),
            message=message,
            author=user.login,
            author_name=user.name,
            author_email=user.commit_email,
            date=now,
            parents=[parent],
            committer_name=user.name,
            committer_email=user.commit_email,
            additions=additions,
            deletions=rng.randint(0, additions),
            files=text.pick_files(rng, rng.randint(1, 4)),
        )

    def _pushed_to_default(
        self, repo: Repository, before: str, commits: list[Commit], pusher: str, rng: random.Random
    ) -> list[Commit]:
        repo.commits.extend(commits)
        repo.contributors.update(c.author for c in commits if c.author)
        self._touch(repo, pushed=True)
        ref = f"refs/heads/{repo.default_branch}"
        self._emit(
            "push", None, self.payloads.push(repo, ref, before, commits, pusher, created=False)
        )
        head = commits[-1]
        self.start_run(repo, 0, "push", repo.default_branch, head.sha, head.message, pusher, rng)
        return commits

    def start_run(
        self,
        repo: Repository,
        workflow_index: int,
        event: str,
        branch: str,
        sha: str,
        title: str,
        actor: str,
        rng: random.Random,
        pr_number: int | None = None,
    ) -> WorkflowRun:
        run = new_run(
            self.store,
            repo,
            repo.workflows[workflow_index],
            rng,
            event=event,
            branch=branch,
            sha=sha,
            title=title,
            actor=actor,
            created=self.clock.now(),
            pr_number=pr_number,
        )
        repo.runs.append(run)
        self._emit("workflow_run", "requested", self.payloads.workflow_run("requested", repo, run))
        return run
