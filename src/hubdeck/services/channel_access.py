"""Who may subscribe to which real-time channel (the same rules as the HTTP API)."""

from __future__ import annotations

from hubdeck.core.channels import Channel, ChannelKind
from hubdeck.core.teams import Permission, allows
from hubdeck.ports import TeamStore


class ChannelAccess:
    def __init__(self, teams: TeamStore) -> None:
        self._teams = teams

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
        # Dashboards arrive with shared dashboards; until then there is none to see.
        return False

    async def _member(self, team_id: int, user_id: int) -> bool:
        membership = await self._teams.membership(team_id, user_id)
        return membership is not None and allows(membership.role, Permission.view)
