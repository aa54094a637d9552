"""Readiness checks of the database and Redis, reported by /readyz."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# A check that takes longer than this counts as down: a load balancer polling /readyz should
# get an answer well within its own timeout.
_CHECK_TIMEOUT = 2.0


class DatabaseCheck:
    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.backend = engine.dialect.name

    async def check(self) -> None:
        async def ping() -> None:
            async with self._engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

        await asyncio.wait_for(ping(), _CHECK_TIMEOUT)


class RedisCheck:
    name = "redis"
    backend = "redis"

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    async def check(self) -> None:
        await asyncio.wait_for(self._client.ping(), _CHECK_TIMEOUT)
