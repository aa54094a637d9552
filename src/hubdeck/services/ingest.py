"""Ingest: store fetched GitHub objects, compute what changed, and publish it as events.

Sync (polling) and webhooks both come through here, so a change seen twice — first in a
webhook, then in the next poll — is stored and announced once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hubdeck.core.clock import Clock
from hubdeck.core.events import DomainEvent
from hubdeck.core.github import codec
from hubdeck.core.github.changes import Change, commit_changes, object_changes
from hubdeck.core.github.models import Commit, Repository
from hubdeck.ports import GitHubStore, StoredObject, StoredRepository
from hubdeck.services.events import EventBus


@dataclass
class IngestResult:
    changes: list[Change] = field(default_factory=list)
    to_save: list[StoredObject] = field(default_factory=list)

    @property
    def saved(self) -> int:
        return len(self.to_save)


class Ingest:
    def __init__(self, store: GitHubStore, bus: EventBus, clock: Clock) -> None:
        self.store = store
        self.bus = bus
        self.clock = clock

    async def prepare(
        self, repository_id: int, objects: Sequence[object], *, announce: bool = True
    ) -> IngestResult:
        """The objects that are new or changed, and the changes they make (nothing stored:
        ``commit`` stores them with the events they cause, in one transaction)."""
        result = IngestResult()
        by_kind: dict[str, list[object]] = {}
        for value in objects:
            by_kind.setdefault(codec.kind_of(value), []).append(value)
        now = self.clock.now()
        for kind, values in by_kind.items():
            keys = [codec.object_key(v) for v in values]
            stored = await self.store.load_objects(repository_id, kind, keys)
            new_commits: list[Commit] = []
            for key, value in zip(keys, values, strict=True):
                data = codec.dump(value)
                previous_data = stored.get(key)
                if previous_data == data:
                    continue
                previous = None if previous_data is None else codec.load(type(value), previous_data)
                if announce:
                    if isinstance(value, Commit):
                        if previous is None:
                            new_commits.append(value)
                    else:
                        result.changes.extend(object_changes(previous, value, now))
                result.to_save.append(StoredObject(kind, key, data, _occurred_at(value)))
                stored[key] = data  # a value listed twice in one batch is handled once
            result.changes.extend(commit_changes(new_commits, now))
        return result

    async def commit(
        self,
        repository_id: int,
        objects: Sequence[StoredObject],
        events: Sequence[DomainEvent],
        *,
        repository: tuple[Repository, dict[str, int] | None] | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        """Store the changes and journal the events in one transaction, then hand them out: a
        change stored is a change announced, whatever happens to this process next."""
        if not (objects or events or repository or synced_at):
            return
        now = self.clock.now()
        ids = await self.store.commit(
            repository_id,
            objects,
            events=events if self.bus.journalled else (),
            now=now,
            hold_until=now + self.bus.hold,
            repository=repository,
            synced_at=synced_at,
        )
        await self.bus.deliver(events, ids)

    async def load(self, repository_id: int, kind: str, keys: Sequence[str]) -> dict[str, Any]:
        """Stored objects of one kind by key, as values."""
        cls = codec.KINDS[kind]
        found = await self.store.load_objects(repository_id, kind, keys)
        return {key: codec.load(cls, data) for key, data in found.items()}


def to_event(repository: StoredRepository, change: Change) -> DomainEvent:
    full_name = repository.repository.full_name
    subject = (
        change.subject
        if change.subject.startswith(full_name)
        else f"{full_name}{_sep(change.subject)}{change.subject}"
    )
    return DomainEvent(
        type=change.type,
        occurred_at=change.occurred_at,
        repository_id=repository.id,
        subject=subject,
        actor=change.actor,
        data={"repository": full_name, **change.data},
    )


def _sep(subject: str) -> str:
    return "" if subject.startswith("#") else " "


def _occurred_at(value: object) -> datetime | None:
    for name in (
        "merged_at",
        "closed_at",
        "submitted_at",
        "published_at",
        "authored_at",
        "created_at",
    ):
        moment = getattr(value, name, None)
        if isinstance(moment, datetime):
            return moment
    return None
