"""The audit log of a team, for those who manage it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from hubdeck.core.audit import AUDITED
from hubdeck.core.clock import Clock, SystemClock
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission
from hubdeck.ports import ActivityLog, UserStore
from hubdeck.services.teams import TeamService

MAX_PAGE = 500

Publish = Callable[[DomainEvent], Awaitable[None]]


class AuditService:
    def __init__(
        self,
        log: ActivityLog,
        teams: TeamService,
        users: UserStore | None = None,
        publish: Publish | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._log = log
        self._teams = teams
        self._users = users
        self._publish = publish

    async def record(
        self, team_id: int, type_: str, actor_id: int, subject: str, data: dict[str, Any]
    ) -> None:
        """An administrative change made through HTTP (webhook endpoints, pool credentials):
        an event of the team, so that its audit log, activity feed and webhooks see it. Never
        the secrets themselves."""
        if self._publish is None:
            return
        actor = await self._users.get(actor_id) if self._users is not None else None
        await self._publish(
            DomainEvent(
                type=type_,
                occurred_at=self._clock.now(),
                team_id=team_id,
                subject=subject,
                actor=actor.login if actor is not None else None,
                data=data,
            )
        )

    async def entries(
        self, team_id: int, user_id: int, *, limit: int = 100, before: datetime | None = None
    ) -> list[DomainEvent]:
        await self._teams.require(team_id, user_id, Permission.manage)
        return await self._log.for_team(
            team_id, limit=max(1, min(limit, MAX_PAGE)), before=before, types=AUDITED
        )
