"""GitHub data and team stores on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db.credentials import DbTokenStore
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.core.errors import Conflict, NotFound, PermissionDenied
from hubdeck.core.github import codec
from hubdeck.core.github.models import Account, IssueState, PullRequest, Repository
from hubdeck.core.teams import Permission
from hubdeck.core.users import Role
from hubdeck.ports import StoredObject
from hubdeck.services.teams import TeamService

T0 = datetime(2026, 11, 1, tzinfo=UTC)
REPO = Repository(9001, "acme", "api", False, "main", "https://github.com/acme/api", stars=3)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


async def no_organizations(user_id: int) -> set[str]:
    return set()


async def ignore(event: object) -> None:
    return None


async def test_repository_upsert_returns_the_previous_version(engine: AsyncEngine) -> None:
    store = DbGitHubStore(engine)
    stored, previous = await store.upsert_repository(REPO, {"Python": 100})
    assert previous is None
    assert stored.repository == REPO
    again, previous = await store.upsert_repository(replace(REPO, stars=4), None)
    assert previous is not None and previous.repository == REPO
    assert again.id == stored.id
    assert again.languages == {"Python": 100}  # None means "not fetched", not "none"
    assert (await store.find_repository(9001)) == again
    assert (await store.get_repository(stored.id)).repository.stars == 4  # type: ignore[union-attr]


async def test_objects_save_load_and_snapshot(engine: AsyncEngine) -> None:
    store = DbGitHubStore(engine)
    stored, _ = await store.upsert_repository(REPO, {})
    pulls = [
        PullRequest(100 + n, n, f"PR {n}", Account("alice", 1), IssueState.open, False, T0, T0)
        for n in range(1, 601)  # more than one chunk of 500
    ]
    objects = [
        StoredObject("pull", codec.object_key(p), codec.dump(p), p.created_at) for p in pulls
    ]
    await store.save_objects(stored.id, objects)
    loaded = await store.load_objects(stored.id, "pull", [o.key for o in objects])
    assert len(loaded) == 600
    assert codec.load(PullRequest, loaded["42"]) == pulls[41]

    changed = replace(pulls[0], title="Renamed")
    await store.save_objects(stored.id, [StoredObject("pull", "1", codec.dump(changed), T0)])
    snapshot = await store.snapshot(stored.id)
    assert snapshot is not None
    assert len(snapshot.pulls) == 600
    assert next(p for p in snapshot.pulls if p.number == 1).title == "Renamed"
    assert snapshot.repository == REPO


async def test_teams_follow_and_authorization(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    alice, bob, eve = await users.add("alice"), await users.add("bob"), await users.add("eve")
    teams = DbTeamStore(engine)
    clock = FixedClock(T0)
    service = TeamService(teams, clock, no_organizations, ignore)
    team = await service.create(alice.id, "Acme Platform")
    assert team.slug == "acme-platform"
    with pytest.raises(Conflict):
        await service.create(bob.id, "acme platform")

    repo, _ = await DbGitHubStore(engine).upsert_repository(REPO, {})
    assert await teams.follow(team.id, repo.id, alice.id) is True
    assert await teams.follow(team.id, repo.id, alice.id) is False
    assert [r.id for r in await service.repositories(team.id, alice.id)] == [repo.id]
    assert await teams.followers(repo.id) == [team.id]

    # A stranger learns nothing, not even that the team exists.
    with pytest.raises(NotFound):
        await service.repositories(team.id, eve.id)
    with pytest.raises(NotFound):
        await service.require_repository(team.id, eve.id, repo.id)

    invitation = await service.invite(team.id, alice.id, Role.viewer)
    joined = await service.accept(invitation.token, bob.id)
    assert joined.id == team.id
    with pytest.raises(NotFound):  # single use
        await service.accept(invitation.token, eve.id)
    await service.require(team.id, bob.id, Permission.view)
    with pytest.raises(PermissionDenied):
        await service.require(team.id, bob.id, Permission.follow)

    expired = await service.invite(team.id, alice.id)
    clock.current = T0 + timedelta(days=8)
    with pytest.raises(NotFound):
        await service.accept(expired.token, eve.id)
    assert [t.slug for t, _ in await service.mine(bob.id)] == ["acme-platform"]


async def test_tokens_are_stored_encrypted(engine: AsyncEngine) -> None:
    user = await DbUserStore(engine).add("alice")
    box = FernetSecretBox("k" * 40)
    tokens = DbTokenStore(engine)
    await tokens.save(user.id, box.encrypt("gho_secret"), "read:org")
    stored = await tokens.get(user.id)
    assert stored is not None and b"gho_secret" not in stored
    assert box.decrypt(stored) == "gho_secret"
    await tokens.invalidate(user.id)
    assert await tokens.get(user.id) is None
    with pytest.raises(ValueError, match="cannot decrypt"):
        FernetSecretBox("other key" * 5).decrypt(stored)


async def test_user_upsert_by_github_id_follows_renames(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    first = await users.upsert_github(77, "old-login", "Old", None)
    renamed = await users.upsert_github(77, "new-login", "New", "https://avatars/x")
    assert renamed.id == first.id
    assert renamed.login == "new-login"
    assert set(await users.find_logins(["new-login", "ghost"])) == {"new-login"}
