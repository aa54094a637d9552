"""Seeded pull requests: draft periods, commits, review requests, reviews, merges."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import text
from .models import Issue, PullRequest, Repository, Review, ReviewState

if TYPE_CHECKING:
    from .seed import RepoSeeder


def seed_pull_requests(seeder: RepoSeeder, repo: Repository) -> list[Issue]:
    count = seeder.config.pulls_per_repo
    # Every repository has at least one open draft: the most recent pull request.
    return [_pull(seeder, repo, draft=index == count - 1) for index in range(count)]


def _pull(seeder: RepoSeeder, repo: Repository, *, draft: bool = False) -> Issue:
    rng, now = seeder.rng, seeder.now
    start = seeder.window_start - timedelta(days=20) if rng.random() < 0.1 else seeder.window_start
    if draft:
        start = now - timedelta(days=3)
    created = seeder.between(start, now - timedelta(minutes=20))
    roll = 0.5 if draft else rng.random()
    labels: list[str] = []
    if roll < 0.15:
        author = "dependabot[bot]"
        title, branch_slug = text.dependabot_title(rng)
        head_ref = f"dependabot/{branch_slug}"
        labels = ["dependencies"]
    else:
        author = seeder.member() if roll < 0.85 or repo.private else rng.choice(seeder.outsiders)
        title = text.pr_title(rng)
        head_ref = f"{author}/{text.slug(title)}"

    age_days = (now - created).total_seconds() / 86400
    # Recent pull requests are mostly still open; some drafts never leave draft.
    stays_open = draft or rng.random() < (
        0.75 if age_days < 14 else 0.35 if age_days < 45 else 0.08
    )
    is_draft = draft or (author != "dependabot[bot]" and rng.random() < 0.25)
    stays_draft = draft or (is_draft and stays_open and rng.random() < 0.5)
    if stays_draft:
        ready_at = now + timedelta(days=365)
    elif is_draft:
        ready_at = created + timedelta(minutes=rng.randint(60, 3 * 24 * 60))
    else:
        ready_at = created
    commits = [seeder.commit(author, title, created - timedelta(minutes=rng.randint(5, 240)))]
    for _ in range(rng.randint(0, 3)):
        when = seeder.between(created, ready_at + timedelta(hours=6))
        commits.append(seeder.commit(author, text.commit_message(rng), when))

    reviewers = [] if author == "dependabot[bot]" else _reviewers(seeder, author)
    if author == "dependabot[bot]":
        reviewers = [seeder.member()]
    reviews: list[Review] = []
    for reviewer in reviewers:
        at = ready_at + timedelta(minutes=rng.randint(20, 2 * 24 * 60))
        outcome = rng.random()
        states: list[ReviewState]
        if outcome < 0.55:
            states = ["APPROVED"]
        elif outcome < 0.8:
            states = ["CHANGES_REQUESTED", "APPROVED"]
        elif outcome < 0.9:
            states = ["COMMENTED", "APPROVED"]
        else:
            states = []
        for state in states:
            reviews.append(_review(seeder, reviewer, state, at))
            if state == "CHANGES_REQUESTED":
                fix_at = at + timedelta(minutes=rng.randint(30, 24 * 60))
                commits.append(seeder.commit(author, "address review comments", fix_at))
                at = fix_at
            at += timedelta(minutes=rng.randint(20, 24 * 60))

    approvals = [r.submitted_at for r in reviews if r.state == "APPROVED"]
    merged_at = closed_at = None
    if not stays_open:
        if approvals and rng.random() < 0.87:
            last = max(approvals + [c.date for c in commits])
            merged_at = last + timedelta(minutes=rng.randint(10, 24 * 60))
        else:
            closed_at = created + timedelta(hours=rng.randint(4, 10 * 24))
    if merged_at is not None and merged_at >= now:
        merged_at = None
    if closed_at is not None and closed_at >= now:
        closed_at = None
    end = merged_at or closed_at or now

    commits = sorted((c for c in commits if c.date < end), key=lambda c: c.date)
    reviews = [r for r in reviews if r.submitted_at < end]
    reviewed = {r.user for r in reviews}
    still_draft = is_draft and ready_at >= end
    pull = PullRequest(
        id=0,
        head_ref=head_ref,
        base_ref=repo.default_branch,
        base_sha="",
        draft=still_draft and merged_at is None,
        commits=commits,
        additions=sum(c.additions for c in commits),
        deletions=sum(c.deletions for c in commits),
        changed_files=len({f for c in commits for f in c.files}),
        requested_reviewers=[] if still_draft else [r for r in reviewers if r not in reviewed],
        reviews=reviews,
        review_comments=sum(rng.randint(0, 3) for r in reviews if r.state != "APPROVED"),
    )
    issue = Issue(
        id=0,
        number=0,
        title=title,
        body=rng.choice([None, "This PR changes the behaviour described in the linked issue."]),
        user=author,
        created_at=created,
        updated_at=created,
        labels=labels,
        pull=pull,
    )
    if merged_at is not None:
        merger = author if author in seeder.members else reviews[-1].user
        pull.merged_at, pull.merged_by = merged_at, merger
        issue.state, issue.closed_at, issue.closed_by = "closed", merged_at, merger
        # The squash commit is titled after the PR number, known once numbers are handed out.
        squash = seeder.commit(author, title, merged_at)
        squash.additions, squash.deletions = pull.additions, pull.deletions
        repo.commits.append(squash)
        seeder.squashes.append((issue, squash))
    elif closed_at is not None:
        issue.state, issue.closed_at, issue.closed_by = "closed", closed_at, seeder.member()
    seeder.comments(issue, repo, end, 4)
    times = [created, end if issue.closed_at else created]
    times += [c.date for c in commits] + [r.submitted_at for r in reviews]
    times += [c.created_at for c in issue.comments]
    issue.updated_at = min(max(times), now)
    return issue


def _reviewers(seeder: RepoSeeder, author: str) -> list[str]:
    candidates = [m for m in seeder.members if m != author]
    if not candidates:
        return []
    count = min(len(candidates), seeder.rng.choice([1, 1, 2, 2, 3]))
    return seeder.rng.sample(candidates, count)


def _review(seeder: RepoSeeder, reviewer: str, state: ReviewState, at: datetime) -> Review:
    body = seeder.rng.choice(text.REVIEW_BODIES[state])
    return Review(id=0, user=reviewer, state=state, body=body, submitted_at=at, commit_id="")
