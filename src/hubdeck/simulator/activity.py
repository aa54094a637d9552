"""The activity generator: a deterministic stream of plausible team activity.

Each step picks one thing a person or bot does (weighted, among what is possible right now),
performs it through ``Mutations`` and reports what happened, webhook deliveries included.
The choices come from ``random.Random`` seeded from the simulator's seed, so the same seed and
the same sequence of steps (with a frozen clock) give the same history.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from . import text
from .models import Issue, Repository, ReviewState, WorkflowRun
from .mutations import Mutations
from .state import Store

log = logging.getLogger("hubdeck.simulator.activity")

Outcome = dict[str, Any]

# Relative frequencies of actions: conversations and CI are what a team mostly produces.
WEIGHTS: dict[str, float] = {
    "comment": 12,
    "open_issue": 7,
    "submit_review": 8,
    "complete_run": 3,
    "open_pull": 6,
    "push_to_pull": 5,
    "request_review": 5,
    "progress_run": 2,
    "label_issue": 4,
    "close_issue": 4,
    "merge_pull": 4,
    "star": 4,
    "push_default": 3,
    "ready_for_review": 2,
    "reopen_issue": 1,
    "close_pull": 1,
    "reopen_pull": 1,
    "fork": 1,
    "publish_release": 1,
    "create_repository": 0.2,
}


class ActivityGenerator:
    def __init__(self, store: Store, mutations: Mutations, seed: int) -> None:
        self.store = store
        self.mutations = mutations
        self.rng = random.Random(f"hubdeck-simulator:{seed}:activity")  # noqa: S311 - simulated data
        self.steps = 0
        self._actions: dict[str, Callable[[], Outcome | None]] = {
            name: getattr(self, f"_{name}") for name in WEIGHTS
        }

    # -- driving -----------------------------------------------------------------------------
    def step(self, action: str | None = None) -> Outcome:
        """Perform one action (a named one, or a weighted random possible one)."""
        if action is not None:
            if action not in self._actions:
                raise KeyError(action)
            # Some actions pick a random repository where they may not apply (no fork of a
            # private one): try a few picks before giving up.
            for _ in range(30):
                outcome = self._actions[action]()
                if outcome is not None:
                    return self._finish(action, outcome)
            return {"action": action, "performed": False, "events": []}
        due = self._due_run()
        if due is not None:
            return self._finish(*due)
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]
        for _ in range(30):
            name = self.rng.choices(names, weights)[0]
            outcome = self._actions[name]()
            if outcome is not None:
                return self._finish(name, outcome)
        return self._finish("push_default", self._push_default() or {})

    def _finish(self, name: str, outcome: Outcome) -> Outcome:
        self.steps += 1
        events = [
            {"event": d.event, "action": d.action, "delivery_id": d.guid}
            for d in self.mutations.take_emitted()
        ]
        return {"action": name, "performed": True, **outcome, "events": events}

    async def run(self, rate: float) -> None:
        """Perform ``rate`` steps per second until cancelled."""
        interval = 1.0 / rate
        while True:
            await asyncio.sleep(interval)
            try:
                self.step()
            except Exception:  # one bad step must not stop the stream
                log.exception("activity step failed")

    def _due_run(self) -> tuple[str, Outcome] | None:
        """Runs move on with the clock: queued ones start after ~10 s, running ones finish
        after their planned duration. The earliest due transition is the next step."""
        now = self.mutations.clock.now()
        best: tuple[datetime, str, Repository, WorkflowRun] | None = None
        for repo in self._repos():
            for run in repo.runs:
                if run.status in ("queued", "requested"):
                    when, action = run.created_at + timedelta(seconds=10), "progress_run"
                elif run.status == "in_progress":
                    when = run.run_started_at + timedelta(seconds=run.planned_seconds)
                    action = "complete_run"
                else:
                    continue
                if when <= now and (best is None or (when, run.id) < (best[0], best[3].id)):
                    best = (when, action, repo, run)
        if best is None:
            return None
        _, action, repo, run = best
        if action == "progress_run":
            self.mutations.progress_run(repo, run)
            return action, self._where(repo) | {"run_id": run.id}
        self.mutations.complete_run(repo, run)
        return action, self._where(repo) | {"run_id": run.id, "conclusion": run.conclusion}

    # -- choosing ----------------------------------------------------------------------------
    def _repos(self) -> list[Repository]:
        return [r for r in self.store.org_repos() if r.fork_of is None]

    def _repo(self) -> Repository:
        return self.rng.choice(self._repos())

    def _member(self, exclude: str | None = None) -> str:
        members = [m.login for m in self.store.members() if m.login != exclude]
        return self.rng.choice(members)

    def _person(self, repo: Repository) -> str:
        outsiders = [u.login for u in self.store.humans() if not u.member]
        if repo.private or not outsiders or self.rng.random() < 0.6:
            return self._member()
        return self.rng.choice(outsiders)

    def _pick(self, predicate: Callable[[Issue], bool]) -> tuple[Repository, Issue] | None:
        found = [(r, i) for r in self._repos() for i in r.issues.values() if predicate(i)]
        return self.rng.choice(found) if found else None

    @staticmethod
    def _where(repo: Repository, issue: Issue | None = None) -> Outcome:
        outcome: Outcome = {"repository": repo.full_name}
        if issue is not None:
            outcome["number"] = issue.number
        return outcome

    # -- actions (None: not possible right now) ----------------------------------------------
    def _open_issue(self) -> Outcome | None:
        repo = self._repo()
        issue = self.mutations.open_issue(
            repo,
            self._person(repo),
            text.issue_title(self.rng),
            self.rng.choice([None, "Seen in production today."]),
        )
        return self._where(repo, issue)

    def _comment(self) -> Outcome | None:
        found = self._pick(lambda i: i.state == "open")
        if found is None:
            return None
        repo, issue = found
        self.mutations.comment(repo, issue, self._person(repo), self.rng.choice(text.COMMENTS))
        return self._where(repo, issue)

    def _label_issue(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is None and i.state == "open")
        if found is None:
            return None
        repo, issue = found
        choices = [label.name for label in repo.labels if label.name not in issue.labels]
        if not choices:
            return None
        self.mutations.label_issue(repo, issue, self.rng.choice(choices), self._member())
        return self._where(repo, issue)

    def _close_issue(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is None and i.state == "open")
        if found is None:
            return None
        repo, issue = found
        reason = "completed" if self.rng.random() < 0.8 else "not_planned"
        self.mutations.close_issue(repo, issue, self._member(), reason)
        return self._where(repo, issue)

    def _reopen_issue(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is None and i.state == "closed")
        if found is None:
            return None
        repo, issue = found
        self.mutations.reopen_issue(repo, issue, self._member())
        return self._where(repo, issue)

    def _open_pull(self) -> Outcome | None:
        repo = self._repo()
        author = self._member()
        issue = self.mutations.open_pull(
            repo, author, text.pr_title(self.rng), self.rng.random() < 0.25, self.rng
        )
        return self._where(repo, issue)

    def _push_to_pull(self) -> Outcome | None:
        found = self._pick(
            lambda i: i.pull is not None and i.state == "open" and not i.user.endswith("[bot]")
        )
        if found is None:
            return None
        repo, issue = found
        self.mutations.push_to_pull(repo, issue, self.rng)
        return self._where(repo, issue)

    def _request_review(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is not None and i.state == "open" and not i.pull.draft)
        if found is None:
            return None
        repo, issue = found
        assert issue.pull is not None
        candidates = [
            m.login
            for m in self.store.members()
            if m.login != issue.user and m.login not in issue.pull.requested_reviewers
        ]
        if not candidates:
            return None
        sender = issue.user if self.store.is_member(issue.user) else self._member()
        self.mutations.request_review(repo, issue, self.rng.choice(candidates), sender)
        return self._where(repo, issue)

    def _ready_for_review(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is not None and i.state == "open" and i.pull.draft)
        if found is None:
            return None
        repo, issue = found
        self.mutations.ready_for_review(repo, issue)
        return self._where(repo, issue)

    def _submit_review(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is not None and i.state == "open" and not i.pull.draft)
        if found is None:
            return None
        repo, issue = found
        assert issue.pull is not None
        reviewer = (
            self.rng.choice(issue.pull.requested_reviewers)
            if issue.pull.requested_reviewers
            else self._member(exclude=issue.user)
        )
        states: list[ReviewState] = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED"]
        state = self.rng.choices(states, [6, 2, 2])[0]
        self.mutations.submit_review(
            repo, issue, reviewer, state, self.rng.choice(text.REVIEW_BODIES[state])
        )
        return self._where(repo, issue)

    def _merge_pull(self) -> Outcome | None:
        def approved(issue: Issue) -> bool:
            return (
                issue.pull is not None
                and issue.state == "open"
                and not issue.pull.draft
                and any(r.state == "APPROVED" for r in issue.pull.reviews)
            )

        found = self._pick(approved)
        if found is None:
            return None
        repo, issue = found
        merger = issue.user if self.store.is_member(issue.user) else self._member()
        self.mutations.merge_pull(repo, issue, merger, self.rng)
        return self._where(repo, issue)

    def _close_pull(self) -> Outcome | None:
        found = self._pick(lambda i: i.pull is not None and i.state == "open")
        if found is None:
            return None
        repo, issue = found
        self.mutations.close_pull(repo, issue, self._member())
        return self._where(repo, issue)

    def _reopen_pull(self) -> Outcome | None:
        found = self._pick(
            lambda i: i.pull is not None and i.state == "closed" and i.pull.merged_at is None
        )
        if found is None:
            return None
        repo, issue = found
        self.mutations.reopen_pull(repo, issue, self._member())
        return self._where(repo, issue)

    def _star(self) -> Outcome | None:
        repo = self._repo()
        starred = {s.user for s in repo.stars}
        pool = [
            u.login
            for u in (self.store.members() if repo.private else self.store.humans())
            if u.login not in starred
        ]
        if not pool:
            return None
        self.mutations.star(repo, self.rng.choice(pool))
        return self._where(repo)

    def _fork(self) -> Outcome | None:
        repo = self._repo()
        forked = {self.store.repos[f].owner for f in repo.forks}
        pool = [u.login for u in self.store.humans() if not u.member and u.login not in forked]
        if repo.private or not pool:
            return None
        self.mutations.fork(repo, self.rng.choice(pool))
        return self._where(repo)

    def _progress_run(self) -> Outcome | None:
        runs = [
            (r, run)
            for r in self._repos()
            for run in r.runs
            if run.status in ("queued", "requested")
        ]
        if not runs:
            return None
        repo, run = self.rng.choice(runs)
        self.mutations.progress_run(repo, run)
        return self._where(repo) | {"run_id": run.id}

    def _complete_run(self) -> Outcome | None:
        runs = [(r, run) for r in self._repos() for run in r.runs if run.status == "in_progress"]
        if not runs:
            return None
        repo, run = self.rng.choice(runs)
        self.mutations.complete_run(repo, run)
        return self._where(repo) | {"run_id": run.id, "conclusion": run.conclusion}

    def _publish_release(self) -> Outcome | None:
        repo = self._repo()
        self.mutations.publish_release(repo, self._member())
        return self._where(repo)

    def _push_default(self) -> Outcome | None:
        repo = self._repo()
        self.mutations.push_default(repo, self._member(), self.rng.randint(1, 3), self.rng)
        return self._where(repo)

    def _create_repository(self) -> Outcome | None:
        taken = {r.name for r in self.store.org_repos()}
        name = next(f"experiment-{n}" for n in range(1, 10_000) if f"experiment-{n}" not in taken)
        repo = self.mutations.create_repository(name, self._member(), self.rng)
        return self._where(repo)
