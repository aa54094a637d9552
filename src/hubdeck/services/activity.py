"""The activity feed of a team: what happened in its repositories and in HubDeck."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hubdeck.core.errors import InvalidInput
from hubdeck.core.events import EVENT_TYPES, DomainEvent, shared_view
from hubdeck.core.teams import Permission
from hubdeck.ports import ActivityLog
from hubdeck.services.teams import TeamService

MAX_PAGE = 100


class ActivityService:
    def __init__(self, log: ActivityLog, teams: TeamService) -> None:
        self._log = log
        self._teams = teams

    async def record(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer."""
        await self._log.record([shared_view(event) for event in events])

    async def feed(
        self,
        team_id: int,
        user_id: int,
        *,
        limit: int = 50,
        before: datetime | None = None,
        types: Sequence[str] = (),
        repository_id: int | None = None,
    ) -> list[DomainEvent]:
        await self._teams.require(team_id, user_id, Permission.view)
        if repository_id is not None:
            await self._teams.require_repository(team_id, user_id, repository_id)
        prefixes = {t.split(".")[0] for t in EVENT_TYPES}
        for kind in types:
            if kind not in EVENT_TYPES and kind not in prefixes:
                raise InvalidInput(f"unknown event type {kind!r}")
        return await self._log.for_team(
            team_id,
            limit=max(1, min(limit, MAX_PAGE)),
            before=before,
            types=types,
            repository_id=repository_id,
        )
