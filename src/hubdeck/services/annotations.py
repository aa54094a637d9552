"""Annotations: moments marked on a team's time-series charts ("deploy", "incident").

Made by hand by a member, posted by a signed incoming webhook (services/incoming_webhooks.py),
or made by HubDeck itself when a followed repository publishes a release. Each is an
``annotation.created`` event, so open charts add it live.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission
from hubdeck.core.webhooks.model import Annotation
from hubdeck.ports import IncomingWebhookStore, TeamStore
from hubdeck.services.teams import TeamService

Publish = Callable[[DomainEvent], Awaitable[None]]

MAX_TEXT = 2000
MAX_TAGS = 20
RELEASE_TAG = "release"


class AnnotationService:
    def __init__(
        self,
        store: IncomingWebhookStore,
        teams: TeamService,
        team_store: TeamStore,
        publish: Publish,
        clock: Clock,
    ) -> None:
        self._store = store
        self._teams = teams
        self._team_store = team_store
        self._publish = publish
        self._clock = clock

    async def create(
        self,
        team_id: int,
        user_id: int,
        text: str,
        at: datetime | None,
        tags: Sequence[str],
        *,
        actor: str | None,
    ) -> Annotation:
        """By hand: anyone who may follow repositories (members and up) marks a moment."""
        await self._teams.require(team_id, user_id, Permission.follow)
        text = text.strip()
        if not 1 <= len(text) <= MAX_TEXT:
            raise InvalidInput(f"an annotation has 1 to {MAX_TEXT} characters")
        if len(tags) > MAX_TAGS:
            raise InvalidInput(f"at most {MAX_TAGS} tags")
        if at is not None and at.tzinfo is None:
            raise InvalidInput("`at` needs a time zone (e.g. 2026-11-26T10:00:00Z)")
        return await self.record(team_id, text, at or self._clock.now(), list(tags), actor)

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: a release published in a followed repository marks every following
        team's charts."""
        for event in events:
            if event.type != "release.published" or event.repository_id is None:
                continue
            repository = str(event.data.get("repository") or event.subject)
            name = event.data.get("name") or event.data.get("tag") or "a release"
            teams = await self._team_store.followers(event.repository_id)
            for team_id in teams:
                await self.record(
                    team_id,
                    f"{repository} released {name}",
                    event.occurred_at,
                    [RELEASE_TAG, repository],
                    event.actor,
                )

    async def record(
        self, team_id: int, text: str, at: datetime, tags: list[str], actor: str | None
    ) -> Annotation:
        """Store an annotation and announce it (any source: by hand, a release, an incoming
        webhook); the caller checked who may."""
        annotation = await self._store.add_annotation(team_id, text, at, tags, self._clock.now())
        await self._publish(
            DomainEvent(
                type="annotation.created",
                occurred_at=annotation.at,
                team_id=team_id,
                subject=annotation.text[:100],
                actor=actor,
                data=annotation_data(annotation),
            )
        )
        return annotation


def annotation_data(annotation: Annotation) -> dict[str, object]:
    return {
        "id": annotation.id,
        "text": annotation.text,
        "at": annotation.at.isoformat(),
        "tags": list(annotation.tags),
    }
