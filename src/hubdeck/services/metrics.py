"""Metrics of a team's repositories, computed from stored data and cached until it changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import orjson
from pydantic import TypeAdapter

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput
from hubdeck.core.events import DomainEvent
from hubdeck.core.metrics.report import MetricsOptions, MetricsReport, metrics_report
from hubdeck.core.metrics.window import Window
from hubdeck.ports import GitHubStore
from hubdeck.services.caching import ComputeCache
from hubdeck.services.teams import TeamService

_REPORT = TypeAdapter(MetricsReport)
# Cached reports are dropped by the events that change their input (tag per repository); the
# TTL only bounds how stale "now"-relative figures (stale items, open age) may get.
CACHE_TTL = 300.0
MAX_DAYS = 365


def _tag(repository_id: int) -> str:
    return f"repo:{repository_id}"


class MetricsService:
    def __init__(
        self, store: GitHubStore, teams: TeamService, cache: ComputeCache, clock: Clock
    ) -> None:
        self._store = store
        self._teams = teams
        self._cache = cache
        self._clock = clock

    async def repository_json(
        self, team_id: int, user_id: int, repository_id: int, days: int, timezone: str = "UTC"
    ) -> bytes:
        """The report as JSON, as cached: an HTTP answer sends these bytes as they are."""
        await self._teams.require_repository(team_id, user_id, repository_id)
        return await self._report([repository_id], days, timezone)

    async def team_json(
        self, team_id: int, user_id: int, days: int, timezone: str = "UTC"
    ) -> bytes:
        repositories = await self._teams.repositories(team_id, user_id)
        return await self._report(sorted(r.id for r in repositories), days, timezone)

    async def _report(self, repository_ids: Sequence[int], days: int, timezone: str) -> bytes:
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"days must be between 1 and {MAX_DAYS}")
        now = self._clock.now()
        # Minute resolution: requests within the same minute share one computation.
        minute = now.replace(second=0, microsecond=0)
        key = f"metrics:{','.join(map(str, repository_ids))}:{days}:{timezone}:{minute.isoformat()}"

        async def compute() -> bytes:
            snapshots = []
            for repository_id in repository_ids:
                snapshot = await self._store.snapshot(repository_id)
                if snapshot is not None:
                    snapshots.append(snapshot)
            window = Window(minute - timedelta(days=days), minute + timedelta(minutes=1))
            try:
                report = metrics_report(
                    snapshots, window, now=now, options=MetricsOptions(timezone=timezone)
                )
            except (ValueError, KeyError) as error:  # e.g. an unknown time zone
                raise InvalidInput(str(error)) from None
            return orjson.dumps(_REPORT.dump_python(report, mode="json"))

        return await self._cache.get_or_compute(
            key, [_tag(i) for i in repository_ids], CACHE_TTL, compute
        )

    async def invalidate(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: a change to a repository's data drops the reports built on it."""
        changed = {e.repository_id for e in events if e.repository_id is not None}
        await self._cache.invalidate(_tag(repository_id) for repository_id in sorted(changed))
