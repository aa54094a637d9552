from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.config import Settings
from tests.servers import running_app, stack_settings


@pytest.fixture
async def settings(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> Settings:
    # HubDeck never migrates PostgreSQL by itself; an operator (here, the test) does.
    await migrate.upgrade(stack_database)
    # Short ping timings keep the liveness tests quick; the defaults are 5 s / 3 s.
    return stack_settings(
        tmp_path,
        stack_database,
        stack_redis,
        ws_ping_interval=1,
        ws_pong_timeout=0.5,
        # Enough to recover the thousand-event test across its cuts.
        history_size=1200,
    )


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[str]:
    async with running_app(settings) as url:
        yield url


@pytest.fixture
async def http(server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        yield client
