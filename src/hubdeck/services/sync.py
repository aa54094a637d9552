"""Sync: bring one followed repository up to date from the GitHub REST API.

Incremental: listings are conditional (a 304 costs no quota and means nothing changed), and
those that support it ask only for what changed since the last sync. Only pull requests whose
``updated_at`` moved are fetched in detail (size, reviews, commits), since that costs three
requests each.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog

from hubdeck.core.events import DomainEvent
from hubdeck.core.github.changes import Change, repository_changes
from hubdeck.core.github.merge import merge_pull
from hubdeck.core.github.models import PullRequest
from hubdeck.ports import GitHubAPI, StoredRepository
from hubdeck.services.ingest import Ingest, to_event

log = structlog.get_logger(__name__)

# "Changed since" overlaps the previous sync a little: GitHub's updated_at and HubDeck's clock
# are different clocks, and an object updated during the last sync must not fall between two.
SINCE_OVERLAP = timedelta(minutes=5)
# ...and is rounded down to the hour, so that repeated syncs ask the very same URL: GitHub
# answers an unchanged listing with a free 304 only for the URL its ETag belongs to.
SINCE_GRANULARITY = timedelta(hours=1)
# Pull-request details fetched at once per repository: parallel enough to hide latency,
# bounded so one big repository does not take every connection (or trip secondary limits).
DETAIL_CONCURRENCY = 4


@dataclass
class SyncReport:
    repository_id: int
    full_name: str
    first: bool
    listings_unchanged: int = 0
    listings_changed: int = 0
    pulls_detailed: int = 0
    objects_saved: int = 0
    events: int = 0
    changes: list[Change] = field(default_factory=list)


class SyncService:
    def __init__(self, github: GitHubAPI, ingest: Ingest) -> None:
        self._github = github
        self._ingest = ingest

    async def sync(self, repository_id: int, token: str | None) -> SyncReport:
        stored = await self._ingest.store.get_repository(repository_id)
        if stored is None:
            raise LookupError(f"repository {repository_id} is not stored")
        owner, name = stored.repository.owner, stored.repository.name
        now = self._ingest.clock.now()
        first = stored.synced_at is None
        since = None if stored.synced_at is None else _floor(stored.synced_at - SINCE_OVERLAP)
        report = SyncReport(repository_id, stored.repository.full_name, first)
        gh = self._github

        fetched_repo = await gh.get_repository(owner, name, token=token)
        languages = await gh.get_languages(owner, name, token=token)
        self._count(report, fetched_repo.not_modified and languages.not_modified)
        new_languages = None if languages.not_modified else languages.value
        # Stored with the objects and the events, in one transaction (Ingest.commit).
        current = StoredRepository(
            stored.id,
            fetched_repo.value,
            stored.languages if new_languages is None else new_languages,
            stored.synced_at,
        )
        changes = repository_changes(stored.repository, fetched_repo.value, now)

        objects: list[object] = []
        issues = await gh.list_issues(owner, name, token=token, since=since)
        self._count(report, issues.not_modified)
        if not issues.not_modified:
            objects.extend(issues.value)

        pulls = await gh.list_pulls(owner, name, token=token)
        self._count(report, pulls.not_modified)
        if not pulls.not_modified:
            detailed = await self._detail_pulls(repository_id, owner, name, pulls.value, token)
            report.pulls_detailed = len(detailed)
            objects.extend(detailed)

        comments = await gh.list_issue_comments(owner, name, token=token, since=since)
        runs = await gh.list_workflow_runs(owner, name, token=token)
        commits = await gh.list_commits(owner, name, token=token, since=since)
        releases = await gh.list_releases(owner, name, token=token)
        for listing in (comments, runs, commits, releases):
            self._count(report, listing.not_modified)
        for listing_values in (comments, runs, commits, releases):
            if not listing_values.not_modified:
                objects.extend(listing_values.value)

        result = await self._ingest.prepare(repository_id, objects, announce=not first)
        changes.extend(result.changes)
        report.objects_saved = result.saved

        if first:
            # The first sync is a baseline: announcing every existing issue as "opened" would
            # flood feeds and notifications with old news.
            counts = _counts(objects)
            events = [
                DomainEvent(
                    type="repository.synced",
                    occurred_at=now,
                    repository_id=repository_id,
                    subject=current.repository.full_name,
                    data={"repository": current.repository.full_name, **counts},
                )
            ]
        else:
            events = [to_event(current, change) for change in changes]
        await self._ingest.commit(
            repository_id,
            result.to_save,
            events,
            repository=(fetched_repo.value, new_languages),
            synced_at=now,
        )
        report.changes = changes
        report.events = len(events)
        log.info(
            "sync.done",
            repository=report.full_name,
            first=first,
            unchanged=report.listings_unchanged,
            changed=report.listings_changed,
            detailed=report.pulls_detailed,
            saved=report.objects_saved,
            events=report.events,
        )
        return report

    async def _detail_pulls(
        self,
        repository_id: int,
        owner: str,
        name: str,
        listed: list[PullRequest],
        token: str | None,
    ) -> list[object]:
        stored = await self._ingest.load(repository_id, "pull", [str(p.number) for p in listed])
        stale = [
            p
            for p in listed
            if (known := stored.get(str(p.number))) is None or known.updated_at != p.updated_at
        ]
        gate = asyncio.Semaphore(DETAIL_CONCURRENCY)

        async def detail(pull: PullRequest) -> list[object]:
            async with gate:
                full = await self._github.get_pull(owner, name, pull.number, token=token)
                reviews = await self._github.list_reviews(owner, name, pull.number, token=token)
                commits = await self._github.list_pull_commits(
                    owner, name, pull.number, token=token
                )
            merged = merge_pull(stored.get(str(pull.number)), full.value, commits.value)
            return [merged, *reviews.value]

        results = await asyncio.gather(*(detail(p) for p in stale))
        return [value for values in results for value in values]

    @staticmethod
    def _count(report: SyncReport, not_modified: bool) -> None:
        if not_modified:
            report.listings_unchanged += 1
        else:
            report.listings_changed += 1


def _floor(moment: datetime) -> datetime:
    step = SINCE_GRANULARITY.total_seconds()
    return datetime.fromtimestamp(moment.timestamp() // step * step, UTC)


def _counts(objects: list[object]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in objects:
        key = type(value).__name__.lower() + "s"
        counts[key] = counts.get(key, 0) + 1
    return counts
