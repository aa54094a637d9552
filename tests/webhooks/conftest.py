from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.config import Settings
from hubdeck.core.github.models import Repository
from hubdeck.core.users import Role
from hubdeck.runtime import Runtime
from tests.servers import APPS, cookie_client, running_app, stack_settings
from tests.webhooks.receiver import Receiver, running_receiver

# A day of retries in about ten seconds (the schedule's 27.6 h and the 24 h failing period,
# times this factor).
FAST_CLOCK = 0.0001


@pytest.fixture
async def settings(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> Settings:
    await migrate.upgrade(stack_database)
    return stack_settings(
        tmp_path,
        stack_database,
        stack_redis,
        webhook_allowed_hosts="127.0.0.1",
        webhook_retry_scale=FAST_CLOCK,
        webhook_timeout=2.0,
    )


@dataclass
class World:
    server: str
    runtime: Runtime
    users: dict[str, int]
    team: int
    other_team: int
    repo: int

    async def http(self, login: str) -> httpx.AsyncClient:
        return await cookie_client(self.runtime, self.server, self.users[login])


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    engine = create_engine(settings.resolved_database_url)
    users = DbUserStore(engine)
    ids = {login: (await users.add(login)).id for login in ("alice", "bob", "carol", "eve")}
    teams = DbTeamStore(engine)
    team = await teams.create("acme", "Acme", None, ids["alice"])
    await teams.add_member(team.id, ids["bob"], Role.member)
    await teams.add_member(team.id, ids["carol"], Role.admin)
    other = await teams.create("other", "Other", None, ids["eve"])
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(99, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, ids["alice"])
    await engine.dispose()
    async with running_app(settings) as url:
        yield World(url, APPS[url].state.runtime, ids, team.id, other.id, repo.id)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running
