"""Widget data: computed from stored data, cached per widget configuration and data version,
and pushed to open dashboards when (and only when) its inputs change.

Each (repository, kind of data) has a data version, bumped by the domain events that change
that data (``kinds_changed_by``). A widget's cache key holds its configuration and the data
versions of what it reads, so a merged pull request makes new keys for the widgets that read
that repository's pull requests, and leaves every other widget's key, and cached data, alone.
A computation that started before the change can only store under the old key: it never
overwrites fresher data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.dashboards.catalog import METRICS, DataKind, kinds_changed_by
from hubdeck.core.dashboards.compute import Inputs, compute
from hubdeck.core.dashboards.model import Document, Widget, WidgetType
from hubdeck.core.events import DomainEvent
from hubdeck.ports import (
    ActivityLog,
    ChannelStream,
    DashboardStore,
    GitHubStore,
    KeyValue,
    TeamStore,
)
from hubdeck.services.caching import ComputeCache
from hubdeck.services.dashboard_events import publish_dashboard_event

log = structlog.get_logger(__name__)

# Figures relative to "now" (open for N days, the window's end) drift while their inputs stay
# the same; this bounds how stale they get. Changes of the inputs replace them at once.
CACHE_TTL = 300.0
ACTIVITY_SCAN = 200
_TEAM_WIDE = frozenset({"repository.followed", "repository.unfollowed"})


def _version_key(repository_id: int, kind: DataKind) -> str:
    return f"widget-data:version:{repository_id}:{kind.value}"


class WidgetDataService:
    def __init__(
        self,
        github: GitHubStore,
        teams: TeamStore,
        activity: ActivityLog,
        dashboards: DashboardStore,
        cache: ComputeCache,
        keyvalue: KeyValue,
        stream: ChannelStream,
        clock: Clock,
    ) -> None:
        self._github = github
        self._teams = teams
        self._activity = activity
        self._dashboards = dashboards
        self._cache = cache
        self._keyvalue = keyvalue
        self._stream = stream
        self._clock = clock
        # Widgets computed (not served from the cache) by this process: what the tests count.
        self.computations = 0

    async def _repositories(
        self, team_id: int, widget: Widget, followed: set[int] | None = None
    ) -> list[int]:
        """What the widget reads: its repositories that the team (still) follows, or all of
        them. A repository the team does not follow is never read, whatever the config says."""
        if followed is None:
            followed = {r.id for r in await self._teams.followed(team_id)}
        chosen = set(widget.config.repositories)
        return sorted(followed & chosen if chosen else followed)

    async def _versions(self, repositories: Sequence[int], kinds: Sequence[DataKind]) -> list[int]:
        versions = []
        for repository_id in repositories:
            for kind in kinds:
                raw = await self._keyvalue.get(_version_key(repository_id, kind))
                versions.append(int(raw) if raw else 0)
        return versions

    async def data_many(self, team_id: int, widgets: Sequence[Widget]) -> dict[str, Any]:
        """Several widgets of one dashboard at once, as a page loads them: the team's followed
        repositories are read once for all of them."""
        followed = {r.id for r in await self._teams.followed(team_id)}
        return {w.id: await self.data(team_id, w, followed) for w in widgets}

    async def data(
        self, team_id: int, widget: Widget, followed: set[int] | None = None
    ) -> dict[str, Any]:
        repositories = await self._repositories(team_id, widget, followed)
        metric = METRICS.get(widget.config.metric)
        kinds = sorted(metric.inputs) if metric is not None else []
        versions = await self._versions(repositories, kinds)
        identity = orjson.dumps(
            {
                "team": team_id,
                "type": widget.type.value,
                "config": widget.config.model_dump(mode="json"),
                "repositories": repositories,
                "versions": versions,
            }
        )
        key = "widget_data:" + hashlib.sha256(identity).hexdigest()

        async def computed() -> bytes:
            return orjson.dumps(await self._compute(team_id, widget, repositories))

        # One computation per key while any number of viewers wait for it (across processes
        # with Redis); no tags: the key itself changes with the data versions it reads.
        result: dict[str, Any] = orjson.loads(
            await self._cache.get_or_compute(key, (), CACHE_TTL, computed)
        )
        return {
            "widget_id": widget.id,
            "type": widget.type.value,
            "metric": widget.config.metric,
            "range": widget.config.range,
            **result,
        }

    async def _compute(
        self, team_id: int, widget: Widget, repositories: Sequence[int]
    ) -> dict[str, Any]:
        self.computations += 1
        now = self._clock.now()
        filters = widget.config.filters
        snapshots = []
        events: list[DomainEvent] = []
        if widget.type is WidgetType.activity:
            wanted = set(repositories)
            events = [
                e
                for e in await self._activity.for_team(team_id, limit=ACTIVITY_SCAN)
                if e.repository_id is None or e.repository_id in wanted
            ]
        else:
            for repository_id in repositories:
                snapshot = await self._github.snapshot(repository_id)
                if snapshot is not None:
                    snapshots.append(snapshot)
        inputs = Inputs(
            snapshots,
            now,
            include_bots=filters.include_bots,
            timezone=filters.timezone,
            stale_days=filters.stale_days,
            events=events,
        )
        return {**compute(widget, inputs), "computed_at": now.isoformat()}

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: bump the data versions the events change, and tell the open
        dashboards which of their widgets now show something new."""
        changed: dict[int, set[DataKind]] = {}
        team_wide: set[int] = set()
        for event in events:
            kinds = kinds_changed_by(event.type)
            if not kinds or event.repository_id is None:
                continue
            changed.setdefault(event.repository_id, set()).update(kinds)
            if event.type in _TEAM_WIDE and event.team_id is not None:
                team_wide.add(event.team_id)
        if not changed:
            return
        for repository_id, bumped in changed.items():
            for kind in bumped:
                await self._keyvalue.incr(_version_key(repository_id, kind))
        teams: set[int] = set(team_wide)
        for repository_id in changed:
            teams.update(await self._teams.followers(repository_id))
        followed: dict[int, set[int]] = {}
        for record in await self._dashboards.of_teams(sorted(teams)):
            if record.team_id not in followed:
                followed[record.team_id] = {
                    r.id for r in await self._teams.followed(record.team_id)
                }
            document = Document.model_validate(record.document)
            affected = [
                w.id
                for w in document.widgets
                if _reads_changed(w, followed[record.team_id], changed)
                or (record.team_id in team_wide and not w.config.repositories)
            ]
            if affected:
                await publish_dashboard_event(
                    self._stream,
                    record.id,
                    record.team_id,
                    "dashboard.widget_data",
                    None,
                    {"dashboard_id": record.id, "widget_ids": affected},
                )


def _reads_changed(widget: Widget, followed: set[int], changed: dict[int, set[DataKind]]) -> bool:
    metric = METRICS.get(widget.config.metric)
    if metric is None:
        return False
    repositories = set(widget.config.repositories) or followed
    return any(metric.inputs & changed.get(r, set()) for r in repositories)
