from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine


@pytest.fixture
async def engine(any_database: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database, on SQLite and on PostgreSQL (each test runs on both)."""
    await migrate.upgrade(any_database)
    engine = create_engine(any_database)
    yield engine
    await engine.dispose()
