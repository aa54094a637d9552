"""Who may do what with a dashboard: the highest role from creation, grants and the team."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from hubdeck.core.dashboards.model import DashboardRole
from hubdeck.core.users import Role

# What membership of the dashboard's own team gives.
TEAM_ROLES: dict[Role, DashboardRole] = {
    Role.owner: DashboardRole.owner,
    Role.admin: DashboardRole.owner,
    Role.member: DashboardRole.editor,
    Role.viewer: DashboardRole.viewer,
}


@dataclass(frozen=True, slots=True)
class Grant:
    user_id: int | None
    team_id: int | None
    role: DashboardRole


def effective_role(
    *,
    user_id: int,
    owner_id: int,
    team_role: Role | None,
    grants: Iterable[Grant],
    user_teams: Collection[int],
) -> DashboardRole | None:
    roles: list[DashboardRole] = []
    if user_id == owner_id:
        roles.append(DashboardRole.owner)
    if team_role is not None:
        roles.append(TEAM_ROLES[team_role])
    for grant in grants:
        if grant.user_id == user_id or (grant.team_id is not None and grant.team_id in user_teams):
            roles.append(grant.role)
    return max(roles, key=lambda r: r.rank) if roles else None


def granted_to(user_id: int, grants: Iterable[Grant], user_teams: Collection[int]) -> bool:
    return any(
        g.user_id == user_id or (g.team_id is not None and g.team_id in user_teams) for g in grants
    )
