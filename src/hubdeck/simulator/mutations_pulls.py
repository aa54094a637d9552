"""Pull request verbs: open, push to, request reviews, mark ready, review, merge, close."""

from __future__ import annotations

import random

from . import text
from .models import Commit, Issue, PullRequest, Repository, Review, ReviewState
from .mutations_base import MutationsBase


class PullRequestMutations(MutationsBase):
    def open_pull(
        self, repo: Repository, author: str, title: str, draft: bool, rng: random.Random
    ) -> Issue:
        now = self.clock.now()
        number = repo.next_number
        repo.next_number += 1
        base_sha = repo.head_sha
        commits: list[Commit] = []
        for position in range(rng.randint(1, 3)):
            parent = commits[-1].sha if commits else base_sha
            commits.append(
                self._commit(repo, author, title if position == 0 else "wip", parent, rng)
            )
        pull = PullRequest(
            id=self.store.next_id("pull"),
            head_ref=f"{author}/{text.slug(title)}-{number}",
            base_ref=repo.default_branch,
            base_sha=base_sha,
            draft=draft,
            commits=commits,
            additions=sum(c.additions for c in commits),
            deletions=sum(c.deletions for c in commits),
            changed_files=len({f for c in commits for f in c.files}),
        )
        issue = Issue(
            id=self.store.next_id("issue"),
            number=number,
            title=title,
            body="Opened by the activity generator.",
            user=author,
            created_at=now,
            updated_at=now,
            pull=pull,
        )
        repo.issues[number] = issue
        self._touch(repo, issue, pushed=True)
        ref = f"refs/heads/{pull.head_ref}"
        self._emit(
            "push", None, self.payloads.push(repo, ref, base_sha, commits, author, created=True)
        )
        self._emit(
            "pull_request", "opened", self.payloads.pull_request("opened", repo, issue, author)
        )
        self.start_run(
            repo, 0, "pull_request", pull.head_ref, pull.head_sha, title, author, rng, number
        )
        return issue

    def push_to_pull(self, repo: Repository, issue: Issue, rng: random.Random) -> None:
        pull = issue.pull
        assert pull is not None
        before = pull.head_sha
        commit = self._commit(repo, issue.user, "address review comments", before, rng)
        pull.commits.append(commit)
        pull.additions += commit.additions
        pull.deletions += commit.deletions
        pull.changed_files = len({f for c in pull.commits for f in c.files})
        self._touch(repo, issue, pushed=True)
        ref = f"refs/heads/{pull.head_ref}"
        self._emit(
            "push", None, self.payloads.push(repo, ref, before, [commit], issue.user, created=False)
        )
        self._emit(
            "pull_request",
            "synchronize",
            self.payloads.pull_request("synchronize", repo, issue, issue.user, before=before),
        )
        self.start_run(
            repo,
            0,
            "pull_request",
            pull.head_ref,
            commit.sha,
            issue.title,
            issue.user,
            rng,
            issue.number,
        )

    def request_review(self, repo: Repository, issue: Issue, reviewer: str, sender: str) -> None:
        assert issue.pull is not None
        if reviewer not in issue.pull.requested_reviewers:
            issue.pull.requested_reviewers.append(reviewer)
        self._touch(repo, issue)
        payload = self.payloads.pull_request(
            "review_requested", repo, issue, sender, requested_reviewer=reviewer
        )
        self._emit("pull_request", "review_requested", payload)

    def ready_for_review(self, repo: Repository, issue: Issue) -> None:
        assert issue.pull is not None
        issue.pull.draft = False
        self._touch(repo, issue)
        payload = self.payloads.pull_request("ready_for_review", repo, issue, issue.user)
        self._emit("pull_request", "ready_for_review", payload)

    def submit_review(
        self, repo: Repository, issue: Issue, reviewer: str, state: ReviewState, body: str
    ) -> Review:
        pull = issue.pull
        assert pull is not None
        now = self._touch(repo, issue)
        review = Review(self.store.next_id("review"), reviewer, state, body, now, pull.head_sha)
        pull.reviews.append(review)
        if reviewer in pull.requested_reviewers:
            pull.requested_reviewers.remove(reviewer)
        self._emit(
            "pull_request_review",
            "submitted",
            self.payloads.pull_request_review(repo, issue, review),
        )
        return review

    def merge_pull(self, repo: Repository, issue: Issue, merger: str, rng: random.Random) -> None:
        pull = issue.pull
        assert pull is not None
        before = repo.head_sha
        squash = self._commit(repo, issue.user, f"{issue.title} (#{issue.number})", before, rng)
        squash.additions, squash.deletions = pull.additions, pull.deletions
        squash.committer_name, squash.committer_email = "GitHub", "noreply@github.com"
        now = self._touch(repo, issue, pushed=True)
        pull.merged_at, pull.merged_by, pull.merge_commit_sha = now, merger, squash.sha
        issue.state, issue.closed_at, issue.closed_by = "closed", now, merger
        self._emit(
            "pull_request", "closed", self.payloads.pull_request("closed", repo, issue, merger)
        )
        self._pushed_to_default(repo, before, [squash], merger, rng)

    def close_pull(self, repo: Repository, issue: Issue, sender: str) -> None:
        now = self._touch(repo, issue)
        issue.state, issue.closed_at, issue.closed_by = "closed", now, sender
        self._emit(
            "pull_request", "closed", self.payloads.pull_request("closed", repo, issue, sender)
        )

    def reopen_pull(self, repo: Repository, issue: Issue, sender: str) -> None:
        self._touch(repo, issue)
        issue.state, issue.closed_at, issue.closed_by = "open", None, None
        self._emit(
            "pull_request", "reopened", self.payloads.pull_request("reopened", repo, issue, sender)
        )
