"""Deterministic seeded data: an organization, its people, repositories and their history.

Everything comes from ``random.Random`` instances derived from the seed (never the global
generator), and every time is relative to ``now``; so (seed, now, sizes) fix every byte.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import text
from .config import SimulatorConfig
from .models import (
    Comment,
    Commit,
    Issue,
    Label,
    Organization,
    Repository,
    User,
    Workflow,
    fake_sha,
)
from .seed_community import seed_releases, seed_stars_and_forks
from .seed_pulls import seed_pull_requests
from .seed_runs import seed_runs
from .state import Store

DEFAULT_LABELS = [
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
    ("dependencies", "0366d6", "Pull requests that update a dependency file"),
]

BOTS = [("dependabot[bot]", "dependabot[bot]"), ("github-actions[bot]", "github-actions[bot]")]


def build_store(config: SimulatorConfig, now: datetime) -> Store:
    rng = random.Random(f"hubdeck-simulator:{config.seed}:people")  # noqa: S311 - simulated data
    org = Organization(
        id=0,
        login=config.org_login,
        name=config.org_name,
        description=f"{config.org_name} engineering",
        created_at=now - timedelta(days=1500 + rng.randint(0, 400)),
        blog=f"https://{config.org_login}.example.com",
        location=rng.choice(["Berlin", "Lisbon", "Toronto", "Remote"]),
    )
    store = Store(org=org)
    org.id = store.next_id("org")
    _seed_people(store, config, rng, now)
    for index in range(config.repos):
        repo_rng = random.Random(f"hubdeck-simulator:{config.seed}:repo:{index}")  # noqa: S311 - simulated data
        RepoSeeder(store, config, repo_rng, now, index).run()
    return store


def _seed_people(store: Store, config: SimulatorConfig, rng: random.Random, now: datetime) -> None:
    def add(login: str, name: str, kind: str, member: bool) -> None:
        created = now - timedelta(days=rng.randint(200, 4000), seconds=rng.randint(0, 86399))
        email = None if kind == "Bot" or rng.random() < 0.5 else f"{login}@example.com"
        store.add_user(
            User(
                id=store.next_id("user"),
                login=login,
                name=name,
                type="Bot" if kind == "Bot" else "User",
                email=email,
                created_at=created,
                member=member,
                company=f"@{config.org_login}" if member else None,
                location=rng.choice([None, "Berlin", "Paris", "New York", "Bangalore", "Remote"]),
            )
        )

    for i in range(config.users):
        login, name = (
            text.MEMBER_NAMES[i] if i < len(text.MEMBER_NAMES) else (f"member-{i}", f"Member {i}")
        )
        add(login, name, "User", True)
    for i in range(config.outside_users):
        if i < len(text.OUTSIDE_NAMES):
            login, name = text.OUTSIDE_NAMES[i]
        else:
            login, name = f"contributor-{i}", f"Contributor {i}"
        add(login, name, "User", False)
    for login, name in BOTS:
        add(login, name, "Bot", False)


class RepoSeeder:
    def __init__(
        self, store: Store, config: SimulatorConfig, rng: random.Random, now: datetime, index: int
    ) -> None:
        self.store = store
        self.config = config
        self.rng = rng
        self.now = now
        self.index = index
        self.window_start = now - timedelta(days=config.history_days)
        members = store.members()
        self.members = [u.login for u in members]
        self.weights = [rng.uniform(0.3, 3.0) for _ in members]
        self.outsiders = [u.login for u in store.humans() if not u.member]
        self.squashes: list[tuple[Issue, Commit]] = []

    def run(self) -> Repository:
        repo = self._repository()
        self.store.add_repo(repo)
        repo.labels = [
            Label(self.store.next_id("label"), name, color, description, name != "dependencies")
            for name, color, description in DEFAULT_LABELS
        ]
        self._direct_commits(repo)
        issues = self._issues(repo)
        pulls = seed_pull_requests(self, repo)
        for number, issue in enumerate(
            sorted(issues + pulls, key=lambda i: (i.created_at, i.id)), 1
        ):
            issue.number = number
            for comment in issue.comments:
                comment.issue_number = number
            repo.issues[number] = issue
        repo.next_number = len(repo.issues) + 1
        self._renumber(repo)
        for issue, squash in self.squashes:
            squash.message = f"{issue.title} (#{issue.number})"
        self._chain_commits(repo)
        repo.workflows = [
            self._workflow(repo, "CI", ".github/workflows/ci.yml"),
            self._workflow(repo, "Deploy", ".github/workflows/deploy.yml"),
        ]
        seed_runs(self, repo)
        seed_releases(self, repo)
        seed_stars_and_forks(self, repo)
        repo.contributors = {c.author for c in repo.commits if c.author is not None}
        repo.pushed_at = max(
            [repo.commits[-1].date]
            + [c.date for i in self.store.pulls(repo) if i.pull for c in i.pull.commits]
        )
        repo.updated_at = max([repo.pushed_at] + [s.starred_at for s in repo.stars])
        return repo

    # -- helpers shared with seed_pulls / seed_runs ----------------------------------------------
    def member(self, exclude: str | None = None) -> str:
        choices = [(m, w) for m, w in zip(self.members, self.weights, strict=True) if m != exclude]
        if not choices:
            return self.members[0]
        return self.rng.choices([c[0] for c in choices], [c[1] for c in choices])[0]

    def anyone(self, repo: Repository) -> str:
        if repo.private or not self.outsiders or self.rng.random() < 0.6:
            return self.member()
        return self.rng.choice(self.outsiders)

    def between(self, start: datetime, end: datetime) -> datetime:
        span = max(int((end - start).total_seconds()), 1)
        return start + timedelta(seconds=self.rng.randint(0, span - 1))

    def comments(self, issue: Issue, repo: Repository, end: datetime, most: int) -> None:
        for _ in range(self.rng.randint(0, most)):
            when = self.between(issue.created_at + timedelta(minutes=5), end)
            if when >= self.now:
                continue
            author = issue.user if self.rng.random() < 0.3 else self.anyone(repo)
            if self.store.require_user(author).is_bot:
                author = self.member()
            issue.comments.append(Comment(0, 0, author, self.rng.choice(text.COMMENTS), when, when))
        issue.comments.sort(key=lambda c: (c.created_at, c.id))

    def commit(self, author: str | None, message: str, when: datetime, files: int = 3) -> Commit:
        if author is None:
            name, email = "Jamie Contractor", "jamie@contractor.example"
        else:
            user = self.store.require_user(author)
            name, email = user.name, user.commit_email
        additions = self.rng.randint(1, 400)
        return Commit(
            sha="",
            tree_sha="",
            message=message,
            author=author,
            author_name=name,
            author_email=email,
            date=when,
            parents=[],
            committer_name=name if author else "GitHub",
            committer_email=email if author else "noreply@github.com",
            additions=additions,
            deletions=self.rng.randint(0, additions),
            files=text.pick_files(self.rng, self.rng.randint(1, files)),
        )

    # -- steps ---------------------------------------------------------------------------------
    def _repository(self) -> Repository:
        rng, config = self.rng, self.config
        name = (
            text.REPO_NAMES[self.index]
            if self.index < len(text.REPO_NAMES)
            else f"service-{self.index}"
        )
        profile = rng.choice(text.LANGUAGE_PROFILES)
        languages = {lang: rng.randint(lo, hi) for lang, (lo, hi) in profile.items()}
        created = self.window_start - timedelta(
            days=rng.randint(60, 900), seconds=rng.randint(0, 86399)
        )
        return Repository(
            id=self.store.next_id("repo"),
            name=name,
            owner=config.org_login,
            owner_is_org=True,
            private=self.index >= config.repos - config.private_repos,
            description=f"The {name} of {config.org_name}",
            created_at=created,
            updated_at=created,
            pushed_at=created,
            default_branch=rng.choice(["main", "main", "main", "master"]),
            languages=dict(sorted(languages.items(), key=lambda kv: -kv[1])),
            topics=sorted(rng.sample(text.TOPICS, rng.randint(0, 4))),
            homepage=rng.choice([None, f"https://{name}.{config.org_login}.example.com"]),
            license_key=rng.choice([None, "mit", "apache-2.0"]),
            size=rng.randint(200, 60_000),
            subscribers_count=rng.randint(2, 15),
        )

    def _direct_commits(self, repo: Repository) -> None:
        rng = self.rng
        repo.commits.append(self.commit(self.member(), "Initial commit", repo.created_at, 8))
        for _ in range(10):
            when = self.between(repo.created_at, self.window_start)
            repo.commits.append(self.commit(self.member(), text.commit_message(rng), when))
        activity = rng.uniform(0.8, 2.0)
        for day in range(self.config.history_days):
            day_start = (self.window_start + timedelta(days=day)).replace(
                hour=0, minute=0, second=0
            )
            weekend = day_start.weekday() >= 5
            count = int(rng.random() * (0.6 if weekend else 3.2) * activity)
            for _ in range(count):
                when = day_start + timedelta(hours=rng.randint(7, 19), seconds=rng.randint(0, 3599))
                if not (self.window_start <= when < self.now):
                    continue
                author: str | None = None if rng.random() < 0.05 else self.member()
                repo.commits.append(self.commit(author, text.commit_message(rng), when))

    def _issues(self, repo: Repository) -> list[Issue]:
        rng, issues = self.rng, []
        for _ in range(self.config.issues_per_repo):
            older = rng.random() < 0.25
            start = self.window_start - timedelta(days=180) if older else self.window_start
            created = self.between(start, self.now - timedelta(minutes=30))
            author = self.anyone(repo)
            issue = Issue(
                id=0,
                number=0,
                title=text.issue_title(rng),
                body=rng.choice([None, "Steps to reproduce:\n\n1. Open the app\n2. See the error"]),
                user=author,
                created_at=created,
                updated_at=created,
                labels=sorted(
                    rng.sample(
                        ["bug", "enhancement", "documentation", "question"], rng.randint(0, 2)
                    )
                ),
            )
            if rng.random() < 0.4:
                issue.assignees = [self.member()]
            age = (self.now - created).total_seconds() / (86400 * (self.config.history_days + 180))
            end = self.now
            if rng.random() < 0.3 + 0.5 * age:
                closed = created + timedelta(hours=rng.randint(1, 24 * 30))
                if closed < self.now:
                    issue.state, issue.closed_at, end = "closed", closed, closed
                    issue.closed_by = self.member()
                    issue.state_reason = "completed" if rng.random() < 0.85 else "not_planned"
            self.comments(issue, repo, end, 6)
            issue.updated_at = max(
                [created, end if issue.closed_at else created]
                + [c.created_at for c in issue.comments]
            )
            issues.append(issue)
        return issues

    def _renumber(self, repo: Repository) -> None:
        """Ids grow with time on GitHub; hand them out in creation order."""
        for issue in repo.issues.values():
            issue.id = self.store.next_id("issue")
            if issue.pull is not None:
                issue.pull.id = self.store.next_id("pull")
        comments = sorted(
            (c for i in repo.issues.values() for c in i.comments),
            key=lambda c: (c.created_at, c.issue_number),
        )
        for comment in comments:
            comment.id = self.store.next_id("comment")
        reviews = sorted(
            (r for i in self.store.pulls(repo) if i.pull for r in i.pull.reviews),
            key=lambda r: (r.submitted_at, r.user),
        )
        for review in reviews:
            review.id = self.store.next_id("review")

    def _chain_commits(self, repo: Repository) -> None:
        repo.commits.sort(key=lambda c: (c.date, c.message))
        parent: str | None = None
        for position, commit in enumerate(repo.commits):
            commit.sha = fake_sha(
                repo.id, position, commit.date.isoformat(), commit.message, parent
            )
            commit.tree_sha = fake_sha("tree", commit.sha)
            commit.parents = [parent] if parent else []
            parent = commit.sha
        for issue in self.store.pulls(repo):
            pull = issue.pull
            assert pull is not None
            before = [c for c in repo.commits if c.date <= issue.created_at]
            pull.base_sha = before[-1].sha if before else repo.commits[0].sha
            parent = pull.base_sha
            for position, commit in enumerate(pull.commits):
                commit.sha = fake_sha(repo.id, "pr", issue.number, position, commit.message, parent)
                commit.tree_sha = fake_sha("tree", commit.sha)
                commit.parents = [parent]
                parent = commit.sha
            for review in pull.reviews:
                done = [c for c in pull.commits if c.date <= review.submitted_at]
                review.commit_id = (done[-1] if done else pull.commits[0]).sha
        for issue, squash in self.squashes:
            assert issue.pull is not None
            issue.pull.merge_commit_sha = squash.sha

    def _workflow(self, repo: Repository, name: str, path: str) -> Workflow:
        created = repo.created_at + timedelta(days=1)
        return Workflow(self.store.next_id("workflow"), name, path, created, created)
