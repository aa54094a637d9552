"""Who may do what with a dashboard: the role from creation, grants and team membership."""

from __future__ import annotations

from hubdeck.core.dashboards.access import Grant, effective_role
from hubdeck.core.dashboards.model import DashboardRole
from hubdeck.core.errors import NotFound, PermissionDenied
from hubdeck.core.users import Role
from hubdeck.ports import DashboardRecord, DashboardStore, GrantRecord, TeamStore


def grant_of(record: GrantRecord) -> Grant:
    return Grant(record.user_id, record.team_id, DashboardRole(record.role))


class DashboardAccess:
    def __init__(self, store: DashboardStore, teams: TeamStore) -> None:
        self._store = store
        self._teams = teams

    async def user_teams(self, user_id: int) -> dict[int, Role]:
        return {team.id: role for team, role in await self._teams.for_user(user_id)}

    async def role_of(self, user_id: int, record: DashboardRecord) -> DashboardRole | None:
        teams = await self.user_teams(user_id)
        grants = await self._store.grants([record.id])
        return effective_role(
            user_id=user_id,
            owner_id=record.owner_id,
            team_role=teams.get(record.team_id),
            grants=[grant_of(g) for g in grants],
            user_teams=teams.keys(),
        )

    async def require(
        self, user_id: int, dashboard_id: int, needed: DashboardRole
    ) -> tuple[DashboardRecord, DashboardRole]:
        record = await self._store.get(dashboard_id)
        role = None if record is None else await self.role_of(user_id, record)
        if record is None or role is None:
            # Whether a dashboard exists is itself not shown to those who may not see it.
            raise NotFound("no such dashboard")
        if not role.allows(needed):
            raise PermissionDenied(f"this needs the {needed.value} role (you are {role.value})")
        return record, role

    async def may_view(self, user_id: int, dashboard_id: int) -> bool:
        """Who may subscribe to ``dashboard:{id}``."""
        record = await self._store.get(dashboard_id)
        return record is not None and await self.role_of(user_id, record) is not None
