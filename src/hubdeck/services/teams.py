"""Teams: create, join through invitations, follow repositories; every check in one place."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission, allows, slugify
from hubdeck.core.users import Membership, Role, Team, User
from hubdeck.ports import InvitationRecord, StoredRepository, TeamStore

INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Invitation:
    team_id: int
    role: Role
    token: str  # shown once; only its hash is stored


OrganizationsOf = Callable[[int], Awaitable[set[str]]]
Publish = Callable[[DomainEvent], Awaitable[None]]


class TeamService:
    def __init__(
        self,
        teams: TeamStore,
        clock: Clock,
        organizations_of: OrganizationsOf,
        publish: Publish,
    ) -> None:
        self._publish = publish
        self._teams = teams
        self._clock = clock
        self._organizations_of = organizations_of

    async def create(self, user_id: int, name: str, github_org: str | None = None) -> Team:
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise InvalidInput("a team name has 1 to 100 characters")
        if github_org is not None and github_org.lower() not in await self._organizations_of(
            user_id
        ):
            # Members of an adopted organization join its team on sign-in: only a member of
            # that organization may adopt it, or a stranger could collect its people.
            raise PermissionDenied(f"you are not a member of the GitHub organization {github_org}")
        return await self._teams.create(slugify(name), name, github_org, user_id)

    async def require(self, team_id: int, user_id: int, permission: Permission) -> Membership:
        """The caller's membership if it grants ``permission``.

        A non-member gets NotFound, not PermissionDenied: whether a team exists is itself
        information a stranger should not get.
        """
        membership = await self._teams.membership(team_id, user_id)
        if membership is None:
            raise NotFound("no such team")
        if not allows(membership.role, permission):
            raise PermissionDenied(f"your role ({membership.role}) may not {permission} here")
        return membership

    async def get(self, team_id: int, user_id: int) -> tuple[Team, Role]:
        membership = await self.require(team_id, user_id, Permission.view)
        team = await self._teams.get(team_id)
        if team is None:
            raise NotFound("no such team")
        return team, membership.role

    async def mine(self, user_id: int) -> list[tuple[Team, Role]]:
        return await self._teams.for_user(user_id)

    async def invite_user(
        self, team_id: int, user_id: int, invitee: User, role: Role, inviter: str
    ) -> Invitation:
        """An invitation addressed to an existing user, who is notified of it."""
        if await self._teams.membership(team_id, invitee.id) is not None:
            raise Conflict(f"{invitee.login} is a member already")
        invitation = await self.invite(team_id, user_id, role)
        await self._publish(
            DomainEvent(
                type="team.invited",
                occurred_at=self._clock.now(),
                team_id=team_id,
                subject=invitee.login,
                actor=inviter,
                data={
                    "user_id": invitee.id,
                    "role": role.value,
                    "join_path": f"/join/{invitation.token}",
                },
            )
        )
        return invitation

    async def invite(self, team_id: int, user_id: int, role: Role = Role.member) -> Invitation:
        membership = await self.require(team_id, user_id, Permission.invite)
        if role is Role.owner and membership.role is not Role.owner:
            raise PermissionDenied("only an owner may invite another owner")
        token = secrets.token_urlsafe(24)
        now = self._clock.now()
        await self._teams.create_invitation(
            InvitationRecord(
                team_id=team_id,
                token_hash=_hash(token),
                role=role,
                created_by=user_id,
                created_at=now,
                expires_at=now + INVITATION_TTL,
            )
        )
        return Invitation(team_id=team_id, role=role, token=token)

    async def accept(self, token: str, user_id: int) -> Team:
        record = await self._teams.claim_invitation(_hash(token), user_id, self._clock.now())
        if record is None:
            raise NotFound("this invitation does not exist, has expired or was used already")
        await self._teams.add_member(record.team_id, user_id, record.role)
        team = await self._teams.get(record.team_id)
        if team is None:
            raise NotFound("the team of this invitation no longer exists")
        return team

    async def repositories(self, team_id: int, user_id: int) -> list[StoredRepository]:
        await self.require(team_id, user_id, Permission.view)
        return await self._teams.followed(team_id)

    async def require_repository(self, team_id: int, user_id: int, repository_id: int) -> None:
        """A repository is visible through a team only if the team follows it."""
        await self.require(team_id, user_id, Permission.view)
        if not await self._teams.is_following(team_id, repository_id):
            raise NotFound("no such repository")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
