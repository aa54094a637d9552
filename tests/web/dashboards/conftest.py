from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hubdeck.config import Settings
from tests.web.dashboards.world import World, make_world


@pytest.fixture
async def world(settings: Settings, server: str) -> AsyncIterator[World]:
    made = await make_world(settings, server)
    yield made
    await made.close()
