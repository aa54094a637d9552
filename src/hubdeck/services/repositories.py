"""Repositories a team follows: choosing them, reading them, and keeping them fresh."""

from __future__ import annotations

from dataclasses import dataclass

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput, NotFound, Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.errors import NotFound as GitHubNotFound
from hubdeck.core.github.models import Repository
from hubdeck.core.pool.context import acting
from hubdeck.core.pool.model import Need, Priority
from hubdeck.core.teams import Permission
from hubdeck.ports import GitHubAPI, GitHubStore, StoredRepository, SyncState, TeamStore
from hubdeck.services.events import EventBus
from hubdeck.services.login import LoginService
from hubdeck.services.teams import TeamService


@dataclass(frozen=True, slots=True)
class Candidate:
    repository: Repository
    repository_id: int | None  # HubDeck's id when the team follows it


class RepositoryService:
    def __init__(
        self,
        github: GitHubAPI,
        store: GitHubStore,
        teams: TeamStore,
        team_service: TeamService,
        login: LoginService,
        bus: EventBus,
        clock: Clock,
    ) -> None:
        self._clock = clock
        self._github = github
        self._store = store
        self._teams = teams
        self._team_service = team_service
        self._login = login
        self._bus = bus

    async def candidates(self, team_id: int, user_id: int) -> list[Candidate]:
        """Repositories the user can see on GitHub, for the picker."""
        await self._team_service.require(team_id, user_id, Permission.follow)
        own = Need(team_id, user_id, own=True, purpose="picker", priority=Priority.interactive)
        with acting(own):
            async with self._login.on_behalf_of(user_id) as token:
                listed = (await self._github.list_user_repos(token=token, max_pages=10)).value
        followed = {r.repository.github_id: r.id for r in await self._teams.followed(team_id)}
        return [Candidate(r, followed.get(r.github_id)) for r in listed]

    async def follow(self, team_id: int, user_id: int, full_name: str) -> StoredRepository:
        await self._team_service.require(team_id, user_id, Permission.follow)
        owner, _, name = full_name.strip().partition("/")
        if not owner or not name or "/" in name:
            raise InvalidInput("give the repository as owner/name")
        try:
            need = Need(
                team_id,
                user_id,
                repository=f"{owner}/{name}",
                own=True,
                purpose="follow",
                priority=Priority.interactive,
            )
            with acting(need):
                async with self._login.on_behalf_of(user_id) as token:
                    # With the user's own token: a team follows only what its member can see.
                    fetched = await self._github.get_repository(owner, name, token=token)
        except GitHubNotFound:
            raise NotFound(f"{full_name} does not exist or you cannot see it on GitHub") from None
        stored, _ = await self._store.upsert_repository(fetched.value, None)
        if await self._teams.follow(team_id, stored.id, user_id):
            await self._bus.publish(
                [
                    DomainEvent(
                        type="repository.followed",
                        occurred_at=self._clock.now(),
                        team_id=team_id,
                        repository_id=stored.id,
                        subject=stored.repository.full_name,
                        actor=str(user_id),
                        data={"repository": stored.repository.full_name},
                    )
                ]
            )
        return stored

    async def unfollow(self, team_id: int, user_id: int, repository_id: int) -> None:
        await self._team_service.require(team_id, user_id, Permission.follow)
        stored = await self._store.get_repository(repository_id)
        if stored is None or not await self._teams.unfollow(team_id, repository_id):
            raise NotFound("no such repository")
        await self._bus.publish(
            [
                DomainEvent(
                    type="repository.unfollowed",
                    occurred_at=self._clock.now(),
                    team_id=team_id,
                    repository_id=repository_id,
                    subject=stored.repository.full_name,
                    actor=str(user_id),
                    data={"repository": stored.repository.full_name},
                )
            ]
        )

    async def get(self, team_id: int, user_id: int, repository_id: int) -> StoredRepository:
        await self._team_service.require_repository(team_id, user_id, repository_id)
        stored = await self._store.get_repository(repository_id)
        if stored is None:
            raise NotFound("no such repository")
        return stored

    async def sync_states(self) -> list[SyncState]:
        """When each followed repository was last synced (operators' sync lag)."""
        return await self._store.sync_states()

    async def token_for(self, repository_id: int) -> tuple[int, str] | None:
        """(user id, token) to sync a repository with: a valid token of a member of a
        following team.

        Until the team's credential pool exists this borrows a member's own token, which is only
        ever used for repositories that member chose to follow and can see.
        """
        for team_id in await self._teams.followers(repository_id):
            for membership in await self._teams.members(team_id):
                try:
                    return membership.user_id, await self._login.token_of(membership.user_id)
                except Unauthenticated:
                    continue
        return None
