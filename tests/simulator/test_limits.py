"""ETags and free 304s, primary rate limits per token and resource, secondary limits."""

from __future__ import annotations

import asyncio

import httpx

from hubdeck.simulator import Simulator

from .conftest import NOW, auth, client_for, issue_token, make_config

RATE_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-used",
    "x-ratelimit-reset",
)


def remaining(response: httpx.Response) -> int:
    return int(response.headers["x-ratelimit-remaining"])


async def test_a_matching_etag_gives_304_at_no_cost(client: httpx.AsyncClient, token: str) -> None:
    first = await client.get("/repos/acme/api/issues", headers=auth(token))
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and etag.endswith('"')
    again = await client.get(
        "/repos/acme/api/issues", headers=auth(token) | {"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert remaining(again) == remaining(first)
    assert (await client.get("/rate_limit", headers=auth(token))).json()["resources"]["core"][
        "used"
    ] == 1
    stats = (await client.get("/_simulator/stats")).json()
    assert stats["not_modified"] == 1 and stats["quota_spent"][token] == 1
    stale = await client.get(
        "/repos/acme/api/issues", headers=auth(token) | {"If-None-Match": 'W/"stale"'}
    )
    assert stale.status_code == 200 and remaining(stale) == remaining(first) - 1


async def test_the_etag_follows_the_body(
    sim: Simulator, client: httpx.AsyncClient, token: str
) -> None:
    url = "/repos/acme/api/issues"
    before = await client.get(url, headers=auth(token))
    etag = before.headers["etag"]
    assert (await client.get(url, headers=auth(token) | {"If-None-Match": etag})).status_code == 304
    repo = sim.store.repo_by_name("acme", "api")
    assert repo is not None
    sim.mutations.open_issue(repo, "bob", "Brand new")
    after = await client.get(url, headers=auth(token) | {"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert after.json()[0]["title"] == "Brand new"


async def test_accounting_and_hourly_reset() -> None:
    async with Simulator(make_config(rate_limit_per_hour=10)) as sim, client_for(sim) as client:
        token = await issue_token(client)
        responses = [await client.get("/repos/acme/api", headers=auth(token)) for _ in range(3)]
        assert [remaining(r) for r in responses] == [9, 8, 7]
        assert [r.headers["x-ratelimit-used"] for r in responses] == ["1", "2", "3"]
        assert all(r.headers["x-ratelimit-limit"] == "10" for r in responses)
        assert all(r.headers["x-ratelimit-resource"] == "core" for r in responses)
        reset = int(responses[0].headers["x-ratelimit-reset"])
        assert reset == int(NOW.timestamp()) + 3600
        assert {r.headers["x-ratelimit-reset"] for r in responses} == {str(reset)}

        other = await issue_token(client, "bob")
        assert remaining(await client.get("/repos/acme/api", headers=auth(other))) == 9

        sim.clock.advance(3599)
        assert remaining(await client.get("/repos/acme/api", headers=auth(token))) == 6
        sim.clock.advance(1)
        fresh = await client.get("/repos/acme/api", headers=auth(token))
        assert remaining(fresh) == 9
        assert int(fresh.headers["x-ratelimit-reset"]) == reset + 3600


async def test_exhaustion_gives_githubs_403() -> None:
    async with Simulator(make_config(rate_limit_per_hour=3)) as sim, client_for(sim) as client:
        token = await issue_token(client)
        for _ in range(3):
            assert (await client.get("/user", headers=auth(token))).status_code == 200
        refused = await client.get("/user", headers=auth(token))
        assert refused.status_code == 403
        assert refused.headers["x-ratelimit-remaining"] == "0"
        body = refused.json()
        user_id = sim.store.require_user("alice").id
        assert body["message"].startswith(f"API rate limit exceeded for user ID {user_id}.")
        assert "rate-limits" in body["documentation_url"]
        # /rate_limit still answers, for free.
        overview = await client.get("/rate_limit", headers=auth(token))
        assert overview.status_code == 200
        assert overview.json()["rate"] == {
            "limit": 3,
            "used": 3,
            "remaining": 0,
            "reset": int(NOW.timestamp()) + 3600,
        }
        assert set(overview.json()["resources"]) >= {"core", "search", "graphql"}
        sim.clock.advance(3600)
        assert (await client.get("/user", headers=auth(token))).status_code == 200


async def test_unauthenticated_requests_share_the_ip_bucket(client: httpx.AsyncClient) -> None:
    first = await client.get("/repos/acme/api")
    assert first.status_code == 200
    assert first.headers["x-ratelimit-limit"] == "60" and remaining(first) == 59
    assert remaining(await client.get("/orgs/acme")) == 58
    for _ in range(58):
        await client.get("/orgs/acme")
    refused = await client.get("/orgs/acme")
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("API rate limit exceeded for 127.0.0.1.")


async def test_every_api_response_has_rate_headers(client: httpx.AsyncClient, token: str) -> None:
    for path in ("/repos/acme/api", "/repos/acme/nope", "/repos/acme/api/issues?state=wrong"):
        response = await client.get(path, headers=auth(token))
        assert all(name in response.headers for name in RATE_HEADERS), path
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.headers["x-oauth-scopes"] == "repo, read:org, user"


async def test_too_many_concurrent_requests_get_a_secondary_limit() -> None:
    config = make_config(secondary_max_concurrent=2, response_delay=0.2)
    async with Simulator(config) as sim, client_for(sim) as client:
        token = await issue_token(client)
        responses = await asyncio.gather(
            *(client.get("/repos/acme/api", headers=auth(token)) for _ in range(5))
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 200, 403, 403, 403]
        limited = next(r for r in responses if r.status_code == 403)
        assert limited.headers["retry-after"] == "60"
        assert limited.json()["message"].startswith("You have exceeded a secondary rate limit.")
        # Limited requests cost no quota; finished ones free their slot.
        assert remaining(await client.get("/repos/acme/api", headers=auth(token))) == 4997
        other = await issue_token(client, "bob")
        assert (await client.get("/repos/acme/api", headers=auth(other))).status_code == 200
        assert (await client.get("/_simulator/stats")).json()["secondary_limited"] == 3


async def test_too_many_requests_per_minute_get_429_with_retry_after() -> None:
    config = make_config(secondary_max_per_minute=3, secondary_status=429)
    async with Simulator(config) as sim, client_for(sim) as client:
        token = await issue_token(client)
        for _ in range(3):
            assert (await client.get("/user", headers=auth(token))).status_code == 200
            sim.clock.advance(10)
        limited = await client.get("/user", headers=auth(token))
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "30"  # the first request leaves the window then
        sim.clock.advance(30)
        assert (await client.get("/user", headers=auth(token))).status_code == 200
