"""Teams: create, join through invitations, follow repositories; every check in one place."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hubdeck.core.events import DomainEvent
from hubdeck.core.sessions import hash_secret_token
from hubdeck.core.teams import (
    Permission,
    allows,
    check_removal,
    check_role_change,
    slugify,
)
from hubdeck.core.users import Membership, Role, Team, User
from hubdeck.ports import InvitationRecord, StoredRepository, TeamStore
from hubdeck.services.recent import DEFAULT_TTL, Recent

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
        *,
        remember_for: float = DEFAULT_TTL,
    ) -> None:
        """``remember_for``: seconds a membership read from the store is trusted without
        reading it again (0: read on every check). Changes made through this process are
        forgotten at once; ``forget_user`` is for those heard of from other processes."""
        self._recent: Recent[tuple[int, int], Membership] = Recent(remember_for)
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
        key = (team_id, user_id)
        epoch = self._recent.epoch
        membership = self._recent.get(key)
        # A remembered membership only ever lets a request in: a refusal is the store's word.
        if membership is None or not allows(membership.role, permission):
            membership = await self._teams.membership(team_id, user_id)
            if membership is None:
                raise NotFound("no such team")
            self._recent.put(key, membership, epoch)
        if not allows(membership.role, permission):
            raise PermissionDenied(f"your role ({membership.role}) may not {permission} here")
        return membership

    def forget_user(self, user_id: int) -> None:
        """The user's memberships changed: read them from the store next time."""
        self._recent.forget_where(lambda key: key[1] == user_id)

    def forget_all(self) -> None:
        """Changes may have gone unheard (the broadcaster reconnected)."""
        self._recent.clear()

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
                token_hash=hash_secret_token(token),
                role=role,
                created_by=user_id,
                created_at=now,
                expires_at=now + INVITATION_TTL,
            )
        )
        return Invitation(team_id=team_id, role=role, token=token)

    async def accept(self, token: str, user_id: int) -> Team:
        record = await self._teams.claim_invitation(
            hash_secret_token(token), user_id, self._clock.now()
        )
        if record is None:
            raise NotFound("this invitation does not exist, has expired or was used already")
        added = await self._teams.add_member(record.team_id, user_id, record.role)
        team = await self._teams.get(record.team_id)
        if team is None:
            raise NotFound("the team of this invitation no longer exists")
        if added:
            await self._emit(
                "team.member_joined",
                record.team_id,
                subject="",
                actor=None,
                data={"user_id": user_id, "role": record.role.value},
            )
        return team

    async def members(self, team_id: int, user_id: int) -> list[Membership]:
        await self.require(team_id, user_id, Permission.view)
        return await self._teams.members(team_id)

    async def change_role(
        self, team_id: int, actor_id: int, target_id: int, role: Role, *, names: Names
    ) -> Membership:
        """Give a member another role (the permission table in core/teams.py decides who may)."""
        actor = await self.require(team_id, actor_id, Permission.view)
        members = await self._teams.members(team_id)
        target = _find(members, target_id)
        if target.role is role:
            return target
        check_role_change(actor.role, target.role, role, _owners(members))
        if not await self._teams.set_role(team_id, target_id, role):
            raise NotFound("no such member")
        # After the store's change, so that no read from before it is remembered after it.
        self.forget_user(target_id)
        await self._emit(
            "team.role_changed",
            team_id,
            subject=names.subject,
            actor=names.actor,
            data={"user_id": target_id, "from": target.role.value, "to": role.value},
        )
        return Membership(team_id=team_id, user_id=target_id, role=role)

    async def remove_member(
        self, team_id: int, actor_id: int, target_id: int, *, names: Names
    ) -> None:
        """Remove a member, or leave (``actor_id == target_id``). Access ends at once: their
        requests are refused and their sockets lose the team's channels (the event says so)."""
        actor = await self.require(team_id, actor_id, Permission.view)
        members = await self._teams.members(team_id)
        target = _find(members, target_id)
        self_removal = actor_id == target_id
        check_removal(actor.role, target.role, _owners(members), self_removal=self_removal)
        if not await self._teams.remove_member(team_id, target_id):
            raise NotFound("no such member")
        self.forget_user(target_id)
        await self._emit(
            "team.member_removed",
            team_id,
            subject=names.subject,
            actor=names.actor,
            data={"user_id": target_id, "role": target.role.value, "left": self_removal},
        )

    async def _emit(
        self,
        type_: str,
        team_id: int,
        *,
        subject: str,
        actor: str | None,
        data: dict[str, object],
    ) -> None:
        await self._publish(
            DomainEvent(
                type=type_,
                occurred_at=self._clock.now(),
                team_id=team_id,
                subject=subject,
                actor=actor,
                data=data,
            )
        )

    async def repositories(self, team_id: int, user_id: int) -> list[StoredRepository]:
        await self.require(team_id, user_id, Permission.view)
        return await self._teams.followed(team_id)

    async def require_repository(self, team_id: int, user_id: int, repository_id: int) -> None:
        """A repository is visible through a team only if the team follows it."""
        await self.require(team_id, user_id, Permission.view)
        if not await self._teams.is_following(team_id, repository_id):
            raise NotFound("no such repository")


@dataclass(frozen=True, slots=True)
class Names:
    """Logins for the event a membership change emits: whose membership, and who changed it."""

    subject: str
    actor: str


def _find(members: list[Membership], user_id: int) -> Membership:
    for member in members:
        if member.user_id == user_id:
            return member
    raise NotFound("no such member")


def _owners(members: list[Membership]) -> int:
    return sum(1 for member in members if member.role is Role.owner)
