"""The audit log of a team, for those who manage it."""

from __future__ import annotations

from datetime import datetime

from hubdeck.core.audit import AUDITED
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission
from hubdeck.ports import ActivityLog
from hubdeck.services.teams import TeamService

MAX_PAGE = 500


class AuditService:
    def __init__(self, log: ActivityLog, teams: TeamService) -> None:
        self._log = log
        self._teams = teams

    async def entries(
        self, team_id: int, user_id: int, *, limit: int = 100, before: datetime | None = None
    ) -> list[DomainEvent]:
        await self._teams.require(team_id, user_id, Permission.manage)
        return await self._log.for_team(
            team_id, limit=max(1, min(limit, MAX_PAGE)), before=before, types=AUDITED
        )
