"""Fixtures for the GitHub simulator's tests: a pinned clock, an in-process app, tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from hubdeck.simulator import Simulator, SimulatorConfig

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "github"


def make_config(**changes: Any) -> SimulatorConfig:
    """Small, pinned and frozen: fast to seed and deterministic."""
    base: dict[str, Any] = {"now": NOW, "clock_frozen": True, "repos": 4, "private_repos": 1}
    return SimulatorConfig(**(base | changes))


def client_for(sim: Simulator, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(sim.app), base_url="http://sim", **kwargs
    )


async def issue_token(
    client: httpx.AsyncClient, login: str = "alice", scopes: list[str] | None = None
) -> str:
    body: dict[str, Any] = {"login": login}
    if scopes is not None:
        body["scopes"] = scopes
    response = await client.post("/_simulator/tokens", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(make_config()) as running:
        yield running


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(sim) as http:
        yield http


@pytest.fixture
async def token(client: httpx.AsyncClient) -> str:
    return await issue_token(client, "alice")
