"""The pool against the real simulator: who may serve what, quota spent whole and never
overdrawn across processes, free re-polls after a token refresh, revocation, waiting for the
reset."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from bench.pool_harness import Shared, open_pool

from hubdeck.core.github.errors import Unauthorized
from hubdeck.simulator import Simulator
from tests.pool.conftest import install_app, stats, token_for

ROOT = Path(__file__).resolve().parents[2]


def repos(sim: Simulator, private: bool) -> list[str]:
    return sorted(r.full_name for r in sim.store.repos.values() if r.private == private)


async def test_private_repositories_and_members_tokens_stay_where_they_belong(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    (private,) = repos(sim, True)
    public = repos(sim, False)[0]
    outsider = await token_for(url, "zoe-dev")  # a machine account outside the organization
    alice, bob = await token_for(url, "alice"), await token_for(url, "bob")
    async with open_pool(
        url,
        shared=[Shared(1, "service", outsider)],
        members={1: "alice", 2: "bob"},
        member_tokens={1: alice, 2: bob},
    ) as pool:
        paths = ("", "/issues", "/pulls", "/commits")
        for suffix in paths:  # alice's view of the private repository: only her token sees it
            await pool.get(pool.need(1, private, private=True), f"/repos/{private}{suffix}")
        for suffix in paths:  # bob's public reads: the shared credential, never alice's
            await pool.get(pool.need(2, public), f"/repos/{public}{suffix}")
        for suffix in paths:  # bob's private reads: his own token only
            await pool.get(pool.need(2, private, private=True), f"/repos/{private}{suffix}")
        # carol has no token and no shared credential sees the repository: only her own
        # credential is a candidate, and without a token the request is refused, not rerouted
        blind = pool.need(3, private, private=True)
        assert [c.id for c in await pool.pool.candidates(blind)] == ["member:3"]
        with pytest.raises(Unauthorized):
            await pool.get(blind, f"/repos/{private}")
    found = await stats(url)
    assert found["by_status"].get("404", 0) == 0  # nothing was asked with a blind credential
    spent = found["quota_spent"]
    assert spent[alice] == len(paths)  # her own requests only
    # bob's public reads went to whichever of the shared credential and his own token had more
    # left; his private ones to his own token
    assert spent[outsider] + spent[bob] == 2 * len(paths)
    assert spent[bob] >= len(paths)


async def test_a_private_repository_goes_to_a_shared_credential_that_reaches_it(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    (private,) = repos(sim, True)
    machine = await token_for(url, "carol")  # an organization member's machine token
    outsider = await token_for(url, "zoe-dev")
    async with open_pool(
        url,
        shared=[
            Shared(1, "service", outsider),
            Shared(2, "service", machine, accounts=("acme",)),
        ],
        members={1: "alice"},
    ) as pool:
        for suffix in ("", "/issues", "/pulls"):
            await pool.get(pool.need(1, private, private=True), f"/repos/{private}{suffix}")
    spent = (await stats(url))["quota_spent"]
    assert spent.get(machine) == 3
    assert outsider not in spent


@pytest.mark.parametrize("sim_options", [{"rate_limit_per_hour": 30}])
async def test_two_processes_on_one_redis_never_over_reserve(
    simulator: tuple[str, Simulator], redis_url: str, redis_prefix: str
) -> None:
    url, sim = simulator
    public = repos(sim, False)[0]
    first, second = await token_for(url, "alice"), await token_for(url, "bob")
    shared = [
        {"id": 1, "kind": "service", "secret": first},
        {"id": 2, "kind": "service", "secret": second},
    ]
    processes = []
    for part in range(2):
        config = {
            "sim_url": url,
            "redis_url": redis_url,
            "prefix": redis_prefix,
            "shared": shared,
            "users": [1, 2, 3],
            "repository": public,
            # 80 different URLs for 60 requests of quota: every answer is a paid 200
            "paths": [
                f"/repos/{public}/issues?per_page={k}" for k in range(1 + part * 40, 41 + part * 40)
            ],
            "deadline": 8.0,
            "limits": {"max_concurrent": 4},
        }
        processes.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.pool_harness",
                orjson.dumps(config).decode(),
                cwd=ROOT,
                stdout=subprocess.PIPE,
            )
        )
    results: list[dict[str, Any]] = []
    for process in processes:
        out, _ = await process.communicate()
        assert process.returncode == 0
        results.append(orjson.loads(out.decode().strip().splitlines()[-1]))
    found = await stats(url)
    assert found["primary_limited_by_key"] == {}  # no request was sent to be refused
    assert found["secondary_limited_by_key"] == {}
    assert all(left >= 0 for left in found["lowest_remaining"].values())
    assert found["quota_spent"] == {first: 30, second: 30}  # all the quota, and no more
    assert sum(r["done"] for r in results) == 60
    assert sum(r["unfinished"] for r in results) == 20  # the rest waits for the reset


@pytest.mark.parametrize("sim_options", [{"installation_token_ttl": 4}])
async def test_a_warm_re_poll_is_free_also_after_the_installation_token_was_refreshed(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    app_id, installation_id, private_key = await install_app(url)
    app = Shared(
        1, "app", private_key, accounts=("acme",), app_id=app_id, installation_id=installation_id
    )
    paths = [
        f"/repos/{name}{suffix}"
        for name in repos(sim, False) + repos(sim, True)
        for suffix in ("", "/issues", "/pulls", "/commits", "/releases")
    ]
    async with open_pool(url, shared=[app], members={1: "alice"}) as pool:
        for path in paths:
            await pool.get(pool.need(None, path.split("/")[2] + "/" + path.split("/")[3]), path)
        before = await stats(url)
        await asyncio.sleep(4.5)  # the installation token has expired: a new one is minted
        for path in paths:
            await pool.get(pool.need(None, path.split("/")[2] + "/" + path.split("/")[3]), path)
        after = await stats(url)
    minted = after["by_route"]["/app/installations/{installation_id}/access_tokens"]
    assert minted >= 2
    polled = after["requests"] - before["requests"] - (minted - 1)
    not_modified = after["not_modified"] - before["not_modified"]
    assert polled == len(paths)
    assert not_modified >= 0.9 * polled
    assert after["by_status"].get("401", 0) == 0


async def test_a_revoked_credential_leaves_the_pool_at_once_and_its_owner_is_told(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    public = repos(sim, False)[0]
    service = await token_for(url, "carol")
    spare = await token_for(url, "dave")
    async with open_pool(
        url,
        shared=[Shared(1, "service", service, added_by=7), Shared(2, "service", spare)],
        members={7: "carol"},
    ) as pool:
        # the first request goes to credential 1 (listed first, as full as the other)
        await pool.get(pool.need(None, public), f"/repos/{public}")
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.post(f"/_simulator/tokens/{service}/revoke")).status_code == 200
        for suffix in ("/issues", "/pulls", "/commits", "/releases"):
            await pool.get(pool.need(None, public), f"/repos/{public}{suffix}")
        revoked = [e for e in pool.events if e.type == "pool.credential_revoked"]
        assert len(revoked) == 1
        assert revoked[0].data["user_id"] == 7
        assert revoked[0].team_id == 1
        assert pool.credentials.records[1].status == "revoked"
        assert [c.id for c in await pool.pool.candidates(pool.need(None, public))] == ["service:2"]
    found = await stats(url)
    assert found["by_status"]["401"] == 1  # one refusal, then never again
    assert found["quota_spent"][spare] == 4


@pytest.mark.parametrize(
    "sim_options", [{"rate_limit_per_hour": 5, "rate_limit_window_seconds": 3}]
)
async def test_an_exhausted_pool_waits_for_the_reset_instead_of_sending_doomed_requests(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    public = repos(sim, False)[0]
    token = await token_for(url, "alice")
    async with open_pool(url, shared=[Shared(1, "service", token)]) as pool:
        paths = [f"/repos/{public}/issues?per_page={k}" for k in range(1, 13)]
        answers = await asyncio.wait_for(
            asyncio.gather(*(pool.get(pool.need(1, public), p) for p in paths)), timeout=30
        )
        assert len(answers) == 12
        assert pool.pool.counters.waited > 0
        assert pool.pool.counters.primary_refusals == 0
    found = await stats(url)
    assert found["primary_limited_by_key"] == {}
    assert found["quota_spent"][token] == 12


@pytest.mark.parametrize("sim_options", [{"rate_limit_per_hour": 20}])
async def test_owners_hear_when_the_shared_quota_runs_low_and_when_it_runs_out(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    public = repos(sim, False)[0]
    token = await token_for(url, "alice")
    async with open_pool(url, shared=[Shared(1, "service", token)]) as pool:
        for k in range(1, 21):
            await pool.get(pool.need(None, public), f"/repos/{public}/issues?per_page={k}")
        kinds = [e.type for e in pool.events]
    assert kinds.count("pool.low") == 1  # once per window, however many requests follow
    assert kinds.count("pool.dry") == 1
    low = next(e for e in pool.events if e.type == "pool.low")
    assert low.data["limit"] == 20
    assert low.data["remaining"] < 2


async def test_identical_gets_in_flight_are_coalesced_into_one_request(
    simulator: tuple[str, Simulator],
) -> None:
    url, sim = simulator
    public = repos(sim, False)[0]
    token = await token_for(url, "alice")
    async with open_pool(url, shared=[Shared(1, "service", token)]) as pool:
        await pool.get(pool.need(1, public), f"/repos/{public}/releases")  # quota learnt
        before = (await stats(url))["requests"]
        answers = await asyncio.gather(
            *(
                pool.get(pool.need(u, public, interactive=True), f"/repos/{public}")
                for u in (1, 2, 3)
            )
        )
        assert len({a.etag for a in answers}) == 1
        assert (await stats(url))["requests"] - before == 1
        assert pool.pool.counters.coalesced == 2
