"""When repositories sync: periodically with jitter, and at once when someone is looking.

In one process the queue is in memory. Across processes (``SharedQueue``: the scale-out
configuration) it is the database's ``sync_jobs`` table: any process may request a sync (a web
node when someone opens a page), background processes claim jobs with a lease they renew while
syncing (a worker that dies leaves its job to another within ``JOB_LEASE``), and the periodic
round runs in one process of the cluster only, the holder of the ``sync-scheduler`` lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.errors import GitHubError, Unauthorized
from hubdeck.core.pool.context import acting
from hubdeck.ports import Broadcaster, ClaimedSyncJob, Locks, Subscription, SyncJobs, TeamStore
from hubdeck.services.login import LoginService
from hubdeck.services.pool import PoolService
from hubdeck.services.repositories import RepositoryService
from hubdeck.services.sync import SyncReport, SyncService

log = structlog.get_logger(__name__)

URGENT, ROUTINE = 0, 1

# A job's lease, renewed every third of it while its sync runs: a dead worker's job is taken
# over within this time.
JOB_LEASE = timedelta(seconds=15)
# The round's lease: the next holder starts rounds within this time after a worker dies.
LEADER_LEASE = 10.0
LEADER_NAME = "sync-scheduler"
# Wake-ups cross processes through the broadcaster; polling catches a lost one.
WAKE_TOPIC = "sync:wake"
POLL_INTERVAL = 2.0


@dataclass(frozen=True)
class SharedQueue:
    jobs: SyncJobs
    locks: Locks
    broadcaster: Broadcaster
    clock: Clock


class SyncScheduler:
    """One queue, ordered by urgency then arrival; a repository waits in it at most once.

    A repository someone opened (or just followed) goes in as URGENT and overtakes the periodic
    round. Each round is spread over the interval with jitter, so a hundred repositories do not
    hit GitHub in the same second after every restart.
    """

    def __init__(
        self,
        sync: SyncService,
        repositories: RepositoryService,
        teams: TeamStore,
        login: LoginService,
        *,
        interval: float,
        workers: int = 2,
        pool: PoolService | None = None,
        shared: SharedQueue | None = None,
    ) -> None:
        self._pool = pool
        self._shared = shared
        self._requests: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._wake_subscription: Subscription | None = None
        self.leading = False
        self._sync = sync
        self._repositories = repositories
        self._login = login
        self._teams = teams
        self._interval = interval
        self._workers = workers
        self._queue: asyncio.PriorityQueue[tuple[int, int, int]] = asyncio.PriorityQueue()
        self._queued: dict[int, int] = {}
        self._order = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        self._idle = asyncio.Event()
        self._idle.set()
        self._busy = 0
        self.reports: list[SyncReport] = []

    def request(self, repository_id: int, urgent: bool = True) -> None:
        priority = URGENT if urgent else ROUTINE
        if self._shared is not None:
            task = asyncio.create_task(self._request_shared(repository_id, priority))
            self._requests.add(task)
            task.add_done_callback(self._requests.discard)
            return
        current = self._queued.get(repository_id)
        if current is not None and current <= priority:
            return
        self._queued[repository_id] = priority
        self._idle.clear()
        self._queue.put_nowait((priority, next(self._order), repository_id))

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: a newly followed repository is synced at once."""
        for event in events:
            if event.type == "repository.followed" and event.repository_id is not None:
                self.request(event.repository_id)

    async def start(self) -> None:
        if self._shared is not None:
            self._wake_subscription = await self._shared.broadcaster.subscribe(
                WAKE_TOPIC, self._on_wake
            )
            work, rounds = self._work_shared, self._lead
        else:
            work, rounds = self._work, self._rounds
        self._tasks = [
            asyncio.create_task(work(), name=f"sync-worker-{n}") for n in range(self._workers)
        ]
        self._tasks.append(asyncio.create_task(rounds(), name="sync-rounds"))
        if self._shared is None:
            self.leading = True  # the only process: its rounds are the rounds

    async def stop(self) -> None:
        for task in [*self._tasks, *self._requests]:
            task.cancel()
        for task in [*self._tasks, *self._requests]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self.leading = False
        if self._wake_subscription is not None:
            await self._wake_subscription.close()
            self._wake_subscription = None

    @property
    def running(self) -> int:
        return self._busy

    async def queued(self) -> int:
        """Repositories waiting (in this process's queue, or the cluster's)."""
        if self._shared is None:
            return len(self._queued)
        return await self._shared.jobs.pending()

    async def wait_idle(self) -> None:
        """Until nothing is queued or running (tests and the demo's first load)."""
        if self._shared is None:
            await self._idle.wait()
            return
        # Polling: the queue is other processes' too, and no event tells when it drains.
        while self._requests or self._busy or await self._shared.jobs.pending():  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    # The shared queue

    async def _request_shared(self, repository_id: int, priority: int) -> None:
        assert self._shared is not None
        try:
            await self._shared.jobs.request(repository_id, priority, self._shared.clock.now())
            await self._shared.broadcaster.publish(WAKE_TOPIC, b"")
        except Exception:
            # The next round requests it again; a page asking now is answered by the poll.
            log.exception("sync.request_failed", repository_id=repository_id)

    def _on_wake(self, topic: str, payload: bytes) -> None:
        self._wake.set()

    async def _work_shared(self) -> None:
        assert self._shared is not None
        shared = self._shared
        while True:
            try:
                job = await shared.jobs.claim(shared.clock.now(), JOB_LEASE)
            except Exception:
                log.exception("sync.claim_failed")
                job = None
            if job is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL_INTERVAL):
                        await self._wake.wait()
                continue
            self._busy += 1
            renewal = asyncio.create_task(self._renew(job))
            try:
                await self.run_once(job.repository_id, urgent=job.priority == URGENT)
            finally:
                renewal.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewal
                self._busy -= 1
                with contextlib.suppress(Exception):
                    await shared.jobs.finish(job)

    async def _renew(self, job: ClaimedSyncJob) -> None:
        assert self._shared is not None
        while True:
            await asyncio.sleep(JOB_LEASE.total_seconds() / 3)
            with contextlib.suppress(Exception):
                await self._shared.jobs.extend(job, self._shared.clock.now() + JOB_LEASE)

    async def _lead(self) -> None:
        """Hold the round's lease and run the rounds while holding it."""
        assert self._shared is not None
        locks = self._shared.locks
        while True:
            token = None
            with contextlib.suppress(Exception):
                token = await locks.acquire(LEADER_NAME, LEADER_LEASE)
            if token is None:
                await asyncio.sleep(LEADER_LEASE / 4)
                continue
            log.info("sync.leading")
            self.leading = True
            rounds = asyncio.create_task(self._rounds(), name="sync-rounds-leader")
            try:
                while True:
                    await asyncio.sleep(LEADER_LEASE / 3)
                    held = False
                    with contextlib.suppress(Exception):
                        held = await locks.extend(LEADER_NAME, token, LEADER_LEASE)
                    if not held or rounds.done():
                        break
            finally:
                self.leading = False
                rounds.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await rounds
                with contextlib.suppress(Exception):
                    await locks.release(LEADER_NAME, token)
            log.warning("sync.lead_lost")

    async def _rounds(self) -> None:
        while True:
            ids = await self._teams.all_followed_repository_ids()
            random.shuffle(ids)
            spacing = self._interval / max(len(ids), 1)
            for repository_id in ids:
                self.request(repository_id, urgent=False)
                await asyncio.sleep(spacing * random.uniform(0.5, 1.5))  # noqa: S311
            await asyncio.sleep(self._interval * random.uniform(0.1, 0.3))  # noqa: S311

    async def _work(self) -> None:
        while True:
            priority, _, repository_id = await self._queue.get()
            if self._queued.get(repository_id) != priority:
                continue  # superseded by a more urgent request already handled
            del self._queued[repository_id]
            self._busy += 1
            try:
                await self.run_once(repository_id, urgent=priority == URGENT)
            finally:
                self._busy -= 1
                if self._queue.empty() and self._busy == 0:
                    self._idle.set()

    async def run_once(self, repository_id: int, *, urgent: bool = False) -> SyncReport | None:
        if self._pool is not None:
            return await self._run_pooled(repository_id, urgent)
        credential = await self._repositories.token_for(repository_id)
        user_id, token = credential if credential is not None else (None, None)
        try:
            report = await self._sync.sync(repository_id, token)
        except Unauthorized:
            if user_id is not None:
                # That member's token was revoked on GitHub: stop using it (they are asked to
                # sign in again) and try again soon with another member's.
                await self._login.token_revoked(user_id)
                self.request(repository_id, urgent=False)
            return None
        except GitHubError as error:
            log.warning("sync.failed", repository_id=repository_id, error=str(error))
            return None
        except LookupError:
            return None
        except Exception:
            # A bug in one repository's data must not stop the others from syncing.
            log.exception("sync.crashed", repository_id=repository_id)
            return None
        self.reports.append(report)
        del self.reports[:-100]
        return report

    async def _run_pooled(self, repository_id: int, urgent: bool) -> SyncReport | None:
        """Sync through the rate-limit pool: it picks a credential for every request, takes a
        revoked one out and queues requests while the quota is spent."""
        assert self._pool is not None
        need = await self._pool.sync_need(repository_id, urgent=urgent)
        if need is None:
            return None
        try:
            with acting(need):
                report = await self._sync.sync(repository_id, None)
        except (Unauthorized, Unauthenticated):
            # The pool took refused credentials out and tried the others: none is left for
            # this repository until someone adds one or signs in again.
            log.warning("sync.no_credential", repository_id=repository_id)
            return None
        except GitHubError as error:
            log.warning("sync.failed", repository_id=repository_id, error=str(error))
            return None
        except LookupError:
            return None
        except Exception:
            log.exception("sync.crashed", repository_id=repository_id)
            return None
        self.reports.append(report)
        del self.reports[:-100]
        return report
