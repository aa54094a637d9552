"""Seeded releases, stars and forks: what the outside world sees of a repository."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .models import Release, Repository, Star
from .state import Store

if TYPE_CHECKING:
    from .seed import RepoSeeder


def seed_releases(seeder: RepoSeeder, repo: Repository) -> None:
    rng = seeder.rng
    when = seeder.window_start - timedelta(days=rng.randint(20, 60))
    minor, patch = rng.randint(0, 3), 0
    merged = sorted(
        (i for i in seeder.store.pulls(repo) if i.pull and i.pull.merged_at),
        key=lambda i: i.pull.merged_at if i.pull and i.pull.merged_at else i.created_at,
    )
    previous = repo.created_at
    while when < seeder.now:
        if rng.random() < 0.3:
            patch += 1
        else:
            minor, patch = minor + 1, 0
        prerelease = rng.random() < 0.15
        tag = f"v1.{minor}.{patch}" + ("-rc.1" if prerelease else "")
        lines = [
            f"* {i.title} by @{i.user} in #{i.number}"
            for i in merged
            if i.pull and i.pull.merged_at and previous <= i.pull.merged_at < when
        ][:8]
        body = "## What's Changed\n" + ("\n".join(lines) if lines else "* Maintenance release")
        published = when + timedelta(minutes=rng.randint(1, 120))
        if published < seeder.now:
            repo.releases.append(
                Release(
                    seeder.store.next_id("release"),
                    tag,
                    tag,
                    body,
                    seeder.member(),
                    repo.default_branch,
                    when,
                    published,
                    False,
                    prerelease,
                )
            )
        previous = when
        when += timedelta(days=rng.randint(10, 30), hours=rng.randint(0, 23))


def seed_stars_and_forks(seeder: RepoSeeder, repo: Repository) -> None:
    rng = seeder.rng
    pool = list(seeder.members) if repo.private else list(seeder.members) + list(seeder.outsiders)
    for login in rng.sample(pool, rng.randint(len(pool) // 3, len(pool))):
        start = repo.created_at if rng.random() < 0.5 else seeder.window_start
        repo.stars.append(Star(login, seeder.between(start, seeder.now)))
    repo.stars.sort(key=lambda s: (s.starred_at, s.user))
    if repo.private or not seeder.outsiders:
        return
    for login in rng.sample(seeder.outsiders, min(len(seeder.outsiders), rng.randint(0, 2))):
        created = seeder.between(seeder.window_start, seeder.now)
        fork = fork_repository(seeder.store, repo, login, created)
        fork.commits = [c for c in repo.commits if c.date <= created]


def fork_repository(store: Store, parent: Repository, login: str, when: datetime) -> Repository:
    fork = Repository(
        id=store.next_id("repo"),
        name=parent.name,
        owner=store.require_user(login).login,
        owner_is_org=False,
        private=False,
        description=parent.description,
        created_at=when,
        updated_at=when,
        pushed_at=parent.pushed_at,
        default_branch=parent.default_branch,
        languages=dict(parent.languages),
        topics=[],
        homepage=None,
        license_key=parent.license_key,
        size=parent.size,
        subscribers_count=0,
        fork_of=parent.id,
        commits=list(parent.commits),
    )
    store.add_repo(fork)
    parent.forks.append(fork.id)
    return fork
