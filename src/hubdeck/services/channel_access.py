"""Who may subscribe to which real-time channel (the same rules as the HTTP API)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from hubdeck.core.channels import Channel, ChannelKind
from hubdeck.core.teams import Permission, allows
from hubdeck.ports import TeamStore

# (user id, dashboard id) → may that user view it (the dashboards service decides).
DashboardViewer = Callable[[int, int], Awaitable[bool]]


class ChannelAccess:
    def __init__(self, teams: TeamStore, dashboards: DashboardViewer | None = None) -> None:
        self._teams = teams
        self._dashboards = dashboards

    async def may_subscribe(self, user_id: int | None, channel: Channel) -> bool:
        if user_id is None:
            return False  # anonymous connections only keep the connection indicator alive
        if channel.kind is ChannelKind.user:
            return channel.id == user_id
        if channel.kind in (ChannelKind.team, ChannelKind.pool):
            return await self._member(channel.id, user_id)
        if channel.kind is ChannelKind.repo:
            for team_id in await self._teams.followers(channel.id):
                if await self._member(team_id, user_id):
                    return True
            return False
        if channel.kind is ChannelKind.dashboard and self._dashboards is not None:
            return await self._dashboards(user_id, channel.id)
        return False

    async def _member(self, team_id: int, user_id: int) -> bool:
        membership = await self._teams.membership(team_id, user_id)
        return membership is not None and allows(membership.role, Permission.view)
