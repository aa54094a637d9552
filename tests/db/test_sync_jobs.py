"""The shared sync queue (table sync_jobs) on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.sync_jobs import DbSyncJobs
from hubdeck.core.github.models import Repository
from hubdeck.services.scheduler import ROUTINE, URGENT

T0 = datetime(2026, 11, 1, tzinfo=UTC)
LEASE = timedelta(seconds=15)


async def repositories(engine: AsyncEngine, count: int) -> list[int]:
    store = DbGitHubStore(engine)
    ids = []
    for n in range(count):
        stored, _ = await store.upsert_repository(
            Repository(100 + n, "acme", f"r{n}", False, "main", f"https://github.com/acme/r{n}"),
            {},
        )
        ids.append(stored.id)
    return ids


async def test_the_most_urgent_job_is_claimed_first_and_only_once(engine: AsyncEngine) -> None:
    a, b, c = await repositories(engine, 3)
    jobs = DbSyncJobs(engine)
    await jobs.request(a, ROUTINE, T0)
    await jobs.request(b, ROUTINE, T0 + timedelta(seconds=1))
    await jobs.request(c, URGENT, T0 + timedelta(seconds=2))
    await jobs.request(b, URGENT, T0 + timedelta(seconds=3))  # raises b; a repeat, not a copy
    assert await jobs.pending() == 3

    first = await jobs.claim(T0, LEASE)
    second = await jobs.claim(T0, LEASE)
    third = await jobs.claim(T0, LEASE)
    assert [j.repository_id for j in (first, second, third) if j] == [c, b, a]
    assert await jobs.claim(T0, LEASE) is None, "all are held"
    assert first is not None and first.claim.split(":")[1] == str(os.getpid())

    await jobs.request(a, ROUTINE, T0 + timedelta(seconds=4))  # during its sync: again later
    for job in (first, second, third):
        assert job is not None
        await jobs.finish(job)
    assert await jobs.pending() == 1
    again = await jobs.claim(T0 + timedelta(seconds=5), LEASE)
    assert again is not None and again.repository_id == a


async def test_a_dead_holders_job_is_taken_over_when_its_lease_ends(engine: AsyncEngine) -> None:
    (repo,) = await repositories(engine, 1)
    jobs = DbSyncJobs(engine)
    await jobs.request(repo, URGENT, T0)
    dead = await jobs.claim(T0, LEASE)
    assert dead is not None
    assert await jobs.claim(T0 + LEASE - timedelta(seconds=1), LEASE) is None
    alive = await jobs.claim(T0 + LEASE, LEASE)
    assert alive is not None and alive.claim != dead.claim

    # The dead holder can neither renew nor finish what is no longer its own.
    assert not await jobs.extend(dead, T0 + 2 * LEASE)
    await jobs.finish(dead)
    assert await jobs.pending() == 1
    assert await jobs.extend(alive, T0 + 3 * LEASE)
    await jobs.finish(alive)
    assert await jobs.pending() == 0


async def test_a_repository_that_is_gone_is_not_queued(engine: AsyncEngine) -> None:
    jobs = DbSyncJobs(engine)
    await jobs.request(424242, URGENT, T0)
    assert await jobs.pending() == 0
