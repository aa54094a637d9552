"""A HubDeck rate-limit pool without the web app around it, for the pool's tests and bench.

``open_pool`` builds the real ``PoolService`` and ``PooledGitHubClient`` over the real Redis
adapters (or memory) and the real GitHub simulator; only the team's stores are replaced by
fixed values: the credentials given, one team, its members. ``python -m bench.pool_harness
CONFIG_JSON`` runs one worker process (see ``worker``) and prints one JSON line.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import redis.asyncio as aioredis
import structlog

from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.github import ETagStore
from hubdeck.adapters.github.apps import GitHubCredentialAuthority
from hubdeck.adapters.github.pooled import PooledGitHubClient
from hubdeck.adapters.memory import MemoryCache, MemoryChannelHistory, MemoryKeyValue
from hubdeck.adapters.memory.pool import MemoryRatePool
from hubdeck.adapters.memory.stream import MemoryChannelStream
from hubdeck.adapters.redis import RedisCache, RedisKeyValue
from hubdeck.adapters.redis.pool import RedisRatePool
from hubdeck.core.clock import SystemClock
from hubdeck.core.errors import Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.errors import GitHubError
from hubdeck.core.pool.context import acting
from hubdeck.core.pool.model import Need, PoolLimits, Priority
from hubdeck.core.users import Membership, Role, User
from hubdeck.ports import StoredCredential
from hubdeck.services.pool import PoolService

SECRET = "pool-harness-secret-key-0123456789abcdef"  # noqa: S105 (a test key)
TEAM = 1


@dataclass
class Shared:
    """One shared credential: a service token, or an app installation."""

    id: int
    kind: str  # "service" | "app"
    secret: str  # the token, or the app's private key (PEM)
    accounts: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()
    added_by: int | None = 1
    app_id: int | None = None
    installation_id: int | None = None
    label: str = ""


class FixedCredentials:
    """``PoolCredentialStore`` over a fixed list (revocations kept in memory)."""

    def __init__(self, box: FernetSecretBox, shared: Sequence[Shared]) -> None:
        now = datetime.now(UTC)
        self.records = {
            s.id: StoredCredential(
                id=s.id,
                team_id=TEAM,
                kind=s.kind,
                label=s.label or f"{s.kind} {s.id}",
                added_by=s.added_by,
                app_id=s.app_id,
                installation_id=s.installation_id,
                secret=box.encrypt(s.secret),
                accounts=tuple(s.accounts),
                repositories=tuple(s.repositories),
                status="active",
                created_at=now,
                revoked_at=None,
            )
            for s in shared
        }

    async def add(self, team_id: int, **kwargs: Any) -> StoredCredential:
        raise NotImplementedError

    async def get(self, credential_id: int) -> StoredCredential | None:
        return self.records.get(credential_id)

    async def for_team(self, team_id: int) -> list[StoredCredential]:
        return [r for r in self.records.values() if r.team_id == team_id]

    async def revoke(self, credential_id: int, at: datetime) -> bool:
        found = self.records.get(credential_id)
        if found is None or found.status != "active":
            return False
        self.records[credential_id] = replace(found, status="revoked", revoked_at=at)
        return True

    async def delete(self, team_id: int, credential_id: int) -> bool:
        return self.records.pop(credential_id, None) is not None

    async def followed_by(self, team_id: int, repository_id: int) -> int | None:
        return None


class FixedTeam:
    """The parts of ``TeamStore`` and ``UserStore`` the pool reads."""

    def __init__(self, members: dict[int, str]) -> None:
        self.logins = members

    async def members(self, team_id: int) -> list[Membership]:
        return [Membership(TEAM, uid, Role.owner) for uid in self.logins]

    async def followers(self, repository_id: int) -> list[int]:
        return [TEAM]

    async def get_many(self, user_ids: Sequence[int]) -> dict[int, User]:
        now = datetime.now(UTC)
        return {
            uid: User(uid, self.logins[uid], None, None, None, now)
            for uid in user_ids
            if uid in self.logins
        }


@dataclass
class Harness:
    pool: PoolService
    github: PooledGitHubClient
    credentials: FixedCredentials
    events: list[DomainEvent] = field(default_factory=list)
    revoked_members: list[int] = field(default_factory=list)

    def need(
        self,
        user_id: int | None,
        repository: str | None = None,
        *,
        private: bool = False,
        own: bool = False,
        purpose: str = "sync",
        interactive: bool = False,
    ) -> Need:
        return Need(
            team_id=TEAM,
            user_id=user_id,
            repository=repository,
            private=private,
            own=own,
            purpose=purpose,
            priority=Priority.interactive if interactive else Priority.background,
        )

    async def get(self, need: Need, path: str) -> Any:
        with acting(need):
            return await self.github.get(path, token=None)


@asynccontextmanager
async def open_pool(
    sim_url: str,
    *,
    shared: Sequence[Shared] = (),
    members: dict[int, str] | None = None,
    member_tokens: dict[int, str] | None = None,
    redis_url: str | None = None,
    prefix: str = "hubdeck-pool:",
    limits: PoolLimits | None = None,
) -> AsyncIterator[Harness]:
    """``members``: user id → login; ``member_tokens``: user id → their own GitHub token."""
    tokens = dict(member_tokens or {})
    async with AsyncExitStack() as stack:
        box = FernetSecretBox(SECRET)
        if redis_url is None:
            state: Any = MemoryRatePool()
            keyvalue: Any = MemoryKeyValue()
            cache: Any = MemoryCache()
        else:
            client = aioredis.Redis.from_url(redis_url)
            stack.push_async_callback(client.aclose)
            state = RedisRatePool(client, prefix)
            keyvalue = RedisKeyValue(client, prefix)
            cache = RedisCache(client, prefix)
        # Connections enough for every credential's concurrency: waiting for a connection
        # would hide in the figures as GitHub's latency.
        github = PooledGitHubClient(
            sim_url,
            etags=ETagStore(cache),
            max_retries=0,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )
        stack.push_async_callback(github.aclose)
        credentials = FixedCredentials(box, shared)
        team = FixedTeam(members or {})
        holder: list[Harness] = []

        async def member_token(user_id: int) -> str:
            found = tokens.get(user_id)
            if found is None:
                raise Unauthenticated("sign in again")
            return found

        async def member_revoked(user_id: int) -> None:
            tokens.pop(user_id, None)
            holder[0].revoked_members.append(user_id)

        async def publish(events: Sequence[DomainEvent]) -> None:
            holder[0].events.extend(events)

        pool = PoolService(
            state,
            credentials,
            keyvalue,
            box,
            team,  # type: ignore[arg-type]
            team,  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            MemoryChannelStream(MemoryChannelHistory(max_size=10, max_age=60, meta_ttl=120)),
            GitHubCredentialAuthority(github.http, sim_url),
            member_token,
            member_revoked,
            publish,  # type: ignore[arg-type]
            SystemClock(),
            limits=limits,
        )
        stack.push_async_callback(pool.stop)
        github.attach(pool)
        harness = Harness(pool, github, credentials)
        holder.append(harness)
        yield harness


async def worker(config: dict[str, Any]) -> dict[str, Any]:
    """One process of a multi-process run: GET ``paths`` (as users in turn) through a pool on
    the shared Redis, until done or ``deadline`` seconds have passed."""
    shared = [Shared(**s) for s in config["shared"]]
    limits = PoolLimits(**config.get("limits", {}))
    done = refused = 0
    errors: dict[str, int] = {}
    async with open_pool(
        config["sim_url"],
        shared=shared,
        redis_url=config["redis_url"],
        prefix=config["prefix"],
        limits=limits,
    ) as harness:
        users = config.get("users", [None])

        async def one(index: int, path: str) -> None:
            nonlocal done, refused
            need = harness.need(users[index % len(users)], config.get("repository"))
            try:
                await harness.get(need, path)
                done += 1
            except GitHubError as error:
                refused += 1
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1

        tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(config["paths"])]
        _, pending = await asyncio.wait(tasks, timeout=config.get("deadline", 20.0))
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        counters = harness.pool.counters.as_json()
    return {
        "done": done,
        "refused": refused,
        "unfinished": len(pending),
        "errors": errors,
        "counters": counters,
    }


def main() -> None:
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    config = orjson.loads(sys.argv[1])
    started = time.perf_counter()
    result = asyncio.run(worker(config))
    result["seconds"] = round(time.perf_counter() - started, 3)
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
