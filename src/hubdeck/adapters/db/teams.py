"""Teams, memberships, followed repositories and invitations in the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.github import _stored_repository
from hubdeck.adapters.db.tables import (
    invitations,
    memberships,
    repositories,
    team_repositories,
    team_webhook_secrets,
    teams,
)
from hubdeck.core.errors import Conflict
from hubdeck.core.users import Membership, Role, Team
from hubdeck.ports import InvitationRecord, StoredRepository

# The reads every API request makes, built once: building a statement and its cache key costs
# about as much as running it on SQLite.
_MEMBERSHIP = select(memberships.c.role).where(
    memberships.c.team_id == bindparam("team_id"), memberships.c.user_id == bindparam("user_id")
)
_FOR_USER = (
    select(teams, memberships.c.role)
    .join(memberships, memberships.c.team_id == teams.c.id)
    .where(memberships.c.user_id == bindparam("user_id"))
    .order_by(teams.c.name)
)
_FOLLOWED = (
    select(repositories)
    .join(team_repositories, team_repositories.c.repository_id == repositories.c.id)
    .where(team_repositories.c.team_id == bindparam("team_id"))
    .order_by(repositories.c.full_name)
)
_IS_FOLLOWING = select(team_repositories.c.team_id).where(
    team_repositories.c.team_id == bindparam("team_id"),
    team_repositories.c.repository_id == bindparam("repository_id"),
)


def _team(row: RowMapping) -> Team:
    return Team(
        id=int(row["id"]),
        slug=row["slug"],
        name=row["name"],
        github_org=row["github_org"],
        created_at=row["created_at"],
    )


class DbTeamStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(self, slug: str, name: str, github_org: str | None, owner_id: int) -> Team:
        now = datetime.now(UTC)
        try:
            async with self._engine.begin() as conn:
                row = (
                    (
                        await conn.execute(
                            insert(teams)
                            .values(slug=slug, name=name, github_org=github_org, created_at=now)
                            .returning(*teams.c)
                        )
                    )
                    .mappings()
                    .one()
                )
                await conn.execute(
                    insert(memberships).values(
                        team_id=row["id"], user_id=owner_id, role=Role.owner.value, created_at=now
                    )
                )
        except IntegrityError:
            raise Conflict(f"a team named {slug!r} already exists") from None
        return _team(row)

    async def get(self, team_id: int) -> Team | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(select(teams).where(teams.c.id == team_id))).mappings().first()
            )
        return None if row is None else _team(row)

    async def for_user(self, user_id: int) -> list[tuple[Team, Role]]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(_FOR_USER, {"user_id": user_id})
            return [(_team(row), Role(row["role"])) for row in rows.mappings()]

    async def membership(self, team_id: int, user_id: int) -> Membership | None:
        async with self._engine.connect() as conn:
            row = (
                (await conn.execute(_MEMBERSHIP, {"team_id": team_id, "user_id": user_id}))
                .mappings()
                .first()
            )
        if row is None:
            return None
        return Membership(team_id=team_id, user_id=user_id, role=Role(row["role"]))

    async def members(self, team_id: int) -> list[Membership]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(memberships).where(memberships.c.team_id == team_id))
            return [
                Membership(team_id=team_id, user_id=int(r["user_id"]), role=Role(r["role"]))
                for r in rows.mappings()
            ]

    async def add_member(self, team_id: int, user_id: int, role: Role) -> bool:
        """Add a member; False if they already are one (their role is left alone)."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    insert(memberships).values(
                        team_id=team_id,
                        user_id=user_id,
                        role=role.value,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def set_role(self, team_id: int, user_id: int, role: Role) -> bool:
        """Change a member's role; False if they are not a member."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(memberships)
                .where(memberships.c.team_id == team_id, memberships.c.user_id == user_id)
                .values(role=role.value)
            )
        return result.rowcount > 0

    async def remove_member(self, team_id: int, user_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(memberships).where(
                    memberships.c.team_id == team_id, memberships.c.user_id == user_id
                )
            )
        return result.rowcount > 0

    async def follow(self, team_id: int, repository_id: int, user_id: int) -> bool:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    insert(team_repositories).values(
                        team_id=team_id,
                        repository_id=repository_id,
                        followed_by=user_id,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def unfollow(self, team_id: int, repository_id: int) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(team_repositories).where(
                    team_repositories.c.team_id == team_id,
                    team_repositories.c.repository_id == repository_id,
                )
            )
        return result.rowcount > 0

    async def followed(self, team_id: int) -> list[StoredRepository]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(_FOLLOWED, {"team_id": team_id})
            return [_stored_repository(row) for row in rows.mappings()]

    async def is_following(self, team_id: int, repository_id: int) -> bool:
        async with self._engine.connect() as conn:
            found = await conn.execute(
                _IS_FOLLOWING, {"team_id": team_id, "repository_id": repository_id}
            )
            return found.first() is not None

    async def followers(self, repository_id: int) -> list[int]:
        """Ids of the teams following a repository."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(team_repositories.c.team_id).where(
                    team_repositories.c.repository_id == repository_id
                )
            )
            return [int(r[0]) for r in rows]

    async def all_followed_repository_ids(self) -> list[int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(team_repositories.c.repository_id).distinct())
            return [int(r[0]) for r in rows]

    async def teams_for_org(self, org: str) -> list[int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(teams.c.id).where(teams.c.github_org == org))
            return [int(r[0]) for r in rows]

    async def set_webhook_secret(self, team_id: int, encrypted: bytes) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(team_webhook_secrets).where(team_webhook_secrets.c.team_id == team_id)
            )
            await conn.execute(
                insert(team_webhook_secrets).values(
                    team_id=team_id, secret_encrypted=encrypted, created_at=datetime.now(UTC)
                )
            )

    async def webhook_secrets(self, team_ids: list[int]) -> dict[int, bytes]:
        if not team_ids:
            return {}
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(team_webhook_secrets).where(team_webhook_secrets.c.team_id.in_(team_ids))
            )
            return {int(r["team_id"]): bytes(r["secret_encrypted"]) for r in rows.mappings()}

    async def create_invitation(self, record: InvitationRecord) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                insert(invitations)
                .values(
                    team_id=record.team_id,
                    token_hash=record.token_hash,
                    role=record.role.value,
                    created_by=record.created_by,
                    created_at=record.created_at,
                    expires_at=record.expires_at,
                )
                .returning(invitations.c.id)
            )
            return int(result.scalar_one())

    async def claim_invitation(
        self, token_hash: str, user_id: int, now: datetime
    ) -> InvitationRecord | None:
        """Mark an unexpired, unused invitation as accepted by ``user_id``; single use even
        when two people click the link at the same moment."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(invitations)
                .where(
                    invitations.c.token_hash == token_hash,
                    invitations.c.accepted_at.is_(None),
                    invitations.c.expires_at > now,
                )
                .values(accepted_by=user_id, accepted_at=now)
            )
            if result.rowcount == 0:
                return None
            row = (
                (
                    await conn.execute(
                        select(invitations).where(invitations.c.token_hash == token_hash)
                    )
                )
                .mappings()
                .one()
            )
        return InvitationRecord(
            team_id=int(row["team_id"]),
            token_hash=row["token_hash"],
            role=Role(row["role"]),
            created_by=int(row["created_by"]),
            created_at=row["created_at"],
            expires_at=row["expires_at"],
        )
