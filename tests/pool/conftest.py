"""The pool against the real GitHub simulator (on a socket, real-time clock) and real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from hubdeck.simulator import Simulator
from tests.servers import running_simulator

# Small quotas so a test spends a credential whole in a few dozen requests.
SMALL: dict[str, Any] = {
    "repos": 4,
    "private_repos": 1,
    "issues_per_repo": 6,
    "pulls_per_repo": 4,
    "history_days": 10,
}


async def token_for(sim_url: str, login: str, scopes: list[str] | None = None) -> str:
    async with httpx.AsyncClient(base_url=sim_url) as http:
        body: dict[str, Any] = {"login": login}
        if scopes is not None:
            body["scopes"] = scopes
        response = await http.post("/_simulator/tokens", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["token"])


async def stats(sim_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=sim_url) as http:
        body: dict[str, Any] = (await http.get("/_simulator/stats")).json()
        return body


async def install_app(sim_url: str) -> tuple[int, int, str]:
    """(app id, installation id, private key PEM) of a new app installed on the org."""
    async with httpx.AsyncClient(base_url=sim_url) as http:
        app = (await http.post("/_simulator/apps", json={"slug": "hubdeck-test"})).json()
        installed = await http.post(f"/_simulator/apps/{app['id']}/installations", json={})
        return int(app["id"]), int(installed.json()["id"]), str(app["private_key"])


@pytest.fixture
def sim_options() -> dict[str, Any]:
    return {}


@pytest.fixture
async def simulator(sim_options: dict[str, Any]) -> AsyncIterator[tuple[str, Simulator]]:
    async with running_simulator(**(SMALL | sim_options)) as running:
        yield running
