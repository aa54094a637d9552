"""The pool inside HubDeck: credentials managed over the API (secrets never come back), sync
through a shared credential, and a credential revoked on GitHub notifying its owner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.db import migrate
from tests.pool.conftest import SMALL, install_app, stats, token_for
from tests.servers import running_app, running_simulator, simulator_settings, stack_settings
from tests.web.test_github_flow import runtime_of, sign_in

pytestmark = pytest.mark.stack


@pytest.fixture
async def github() -> AsyncIterator[str]:
    async with running_simulator(**SMALL) as (url, _):
        yield url


@pytest.fixture
async def hubdeck(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None, github: str
) -> AsyncIterator[str]:
    await migrate.upgrade(stack_database)
    settings = stack_settings(
        tmp_path, stack_database, stack_redis, sync_interval=3600, **simulator_settings(github)
    )
    async with running_app(settings) as url:
        yield url


async def test_owners_add_credentials_whose_secrets_never_come_back(
    hubdeck: str, github: str
) -> None:
    alice = await sign_in(hubdeck, "alice")
    bob = await sign_in(hubdeck, "bob")
    team = (await alice.post("/api/teams", json={"name": "Pool"})).json()
    machine = await token_for(github, "carol")
    app_id, installation_id, private_key = await install_app(github)
    added = await alice.post(
        f"/api/teams/{team['id']}/pool/credentials",
        json={"kind": "service", "label": "ci-bot", "token": machine, "accounts": ["acme"]},
    )
    assert added.status_code == 201, added.text
    app = await alice.post(
        f"/api/teams/{team['id']}/pool/credentials",
        json={
            "kind": "app",
            "label": "HubDeck app",
            "app_id": app_id,
            "installation_id": installation_id,
            "private_key": private_key,
            "accounts": ["acme"],
        },
    )
    assert app.status_code == 201, app.text
    for answer in (added, app):
        assert machine not in answer.text
        assert "PRIVATE KEY" not in answer.text
    overview = await alice.get(f"/api/teams/{team['id']}/pool")
    assert overview.status_code == 200
    assert machine not in overview.text and "PRIVATE KEY" not in overview.text
    body = overview.json()
    assert [c["label"] for c in body["credentials"]] == ["ci-bot", "HubDeck app"]
    # Both probed (a free GET /rate_limit): the app's installation quota, the machine's own.
    assert all(c["buckets"]["core"]["limit"] == 5000 for c in body["credentials"])
    assert body["totals"]["limit"] == 10000

    bad = await alice.post(
        f"/api/teams/{team['id']}/pool/credentials",
        json={"kind": "app", "label": "x", "app_id": 1, "installation_id": 2, "private_key": "no"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"]
    missing = await alice.post(
        f"/api/teams/{team['id']}/pool/credentials", json={"kind": "service", "label": "x"}
    )
    assert missing.status_code == 422
    # bob is not in the team; a member who is not an admin may look but not manage
    assert (await bob.get(f"/api/teams/{team['id']}/pool")).status_code == 404
    removed = await alice.delete(f"/api/teams/{team['id']}/pool/credentials/{added.json()['id']}")
    assert removed.status_code == 204
    again = (await alice.get(f"/api/teams/{team['id']}/pool")).json()
    assert [c["label"] for c in again["credentials"]] == ["HubDeck app"]
    await alice.aclose()
    await bob.aclose()


async def test_a_credential_revoked_on_github_leaves_the_pool_and_its_owner_is_notified(
    hubdeck: str, github: str
) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Revoked pool"})).json()
    machine = await token_for(github, "carol")
    added = await alice.post(
        f"/api/teams/{team['id']}/pool/credentials",
        json={"kind": "service", "label": "ci-bot", "token": machine, "accounts": ["acme"]},
    )
    assert added.status_code == 201
    runtime = runtime_of(hubdeck)
    followed = await alice.post(
        f"/api/teams/{team['id']}/repositories", json={"full_name": "acme/api"}
    )
    assert followed.status_code == 201
    await runtime.scheduler.wait_idle()
    spent = (await stats(github))["quota_spent"]
    assert spent.get(machine, 0) > 0  # the team's sync ran on the shared credential
    async with httpx.AsyncClient(base_url=github) as gh:
        assert (await gh.post(f"/_simulator/tokens/{machine}/revoke")).status_code == 200
    report = await runtime.scheduler.run_once(followed.json()["id"])
    assert report is not None  # finished on alice's own token, the follower's
    pool = (await alice.get(f"/api/teams/{team['id']}/pool")).json()
    assert pool["credentials"][0]["status"] == "revoked"
    notes = (await alice.get("/api/notifications")).json()
    kinds = [n["kind"] for n in notes["items"]]
    assert "credential_revoked" in kinds
    assert (await stats(github))["by_status"]["401"] == 1
    await alice.aclose()
