"""Fixtures for the real services the tests talk to.

PostgreSQL and Redis are real servers. On a machine without them the tests that need them are
skipped with the reason shown, unless HUBDECK_TEST_REQUIRE_SERVICES=1 (CI sets it), which turns a
missing service into a failure so that nothing is silently left untested.

HUBDECK_TEST_STACK chooses what the ``stack`` tests run on: ``embedded`` (SQLite and memory
adapters, the default) or ``scaleout`` (PostgreSQL and Redis). ``make test`` runs them once each.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis.asyncio as aioredis
from sqlalchemy.engine import make_url

REDIS_URL = os.environ.get("HUBDECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get(
    "HUBDECK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
STACK = os.environ.get("HUBDECK_TEST_STACK", "embedded")
REQUIRE_SERVICES = os.environ.get("HUBDECK_TEST_REQUIRE_SERVICES") == "1"

# One run, one namespace: parallel runs on one machine never see each other's keys or tables.
RUN_ID = uuid.uuid4().hex[:10]

T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even where an event loop is already
    running in this thread (Playwright's sync API runs one): it gets a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is not reachable ({error})"
    if REQUIRE_SERVICES:
        pytest.fail(message + "; HUBDECK_TEST_REQUIRE_SERVICES=1 requires it", pytrace=False)
    pytest.skip(message)


async def _ping_redis(url: str) -> None:
    client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.ping()
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the real Redis server, checked once per run."""
    try:
        run_sync(_ping_redis(REDIS_URL))
    except Exception as error:  # any failure means "not usable here"
        _unavailable("Redis at " + REDIS_URL, error)
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix unique to one test; its keys are deleted afterwards."""
    prefix = f"hubdeck-test:{RUN_ID}:{uuid.uuid4().hex[:8]}:"
    yield prefix

    async def cleanup() -> None:
        client = aioredis.Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()

    run_sync(cleanup())


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def _admin(sql: str) -> None:
    import asyncpg

    url = make_url(POSTGRES_URL)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
        timeout=5,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the real PostgreSQL server, checked once per run."""
    try:
        run_sync(_admin("SELECT 1"))
    except Exception as error:
        _unavailable("PostgreSQL at " + POSTGRES_URL, error)
    return POSTGRES_URL


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (asyncpg URL); dropped afterwards."""
    name = f"hubdeck_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    run_sync(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server).set(drivername="postgresql+asyncpg", database=name)
    yield url.render_as_string(hide_password=False)
    run_sync(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'hubdeck.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on SQLite and on PostgreSQL."""
    fixture = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def stack_database(request: pytest.FixtureRequest) -> str:
    """The database of the configured stack (HUBDECK_TEST_STACK)."""
    fixture = "postgres_database" if STACK == "scaleout" else "sqlite_database"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def stack_redis(request: pytest.FixtureRequest) -> tuple[str, str] | None:
    """(url, prefix) of Redis on the scale-out stack; None on the embedded one."""
    if STACK != "scaleout":
        return None
    return (str(request.getfixturevalue("redis_url")), str(request.getfixturevalue("redis_prefix")))
