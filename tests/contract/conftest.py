"""Every contract test runs once per backend: memory, then the real Redis server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.backends import Backend, MemoryBackend, RedisBackend


@pytest.fixture(params=["memory", "redis"])
def backend_spec(request: pytest.FixtureRequest) -> tuple[str, str] | None:
    # Synchronous on purpose: the Redis fixtures run asyncio.run(), which must happen outside
    # the test's event loop. None selects memory, else (url, prefix).
    if request.param == "memory":
        return None
    return (request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix"))


@pytest.fixture
async def backend(backend_spec: tuple[str, str] | None) -> AsyncIterator[Backend]:
    made: Backend = MemoryBackend() if backend_spec is None else RedisBackend(*backend_spec)
    try:
        yield made
    finally:
        await made.aclose()
