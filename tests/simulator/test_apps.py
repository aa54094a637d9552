"""GitHub Apps in the simulator: installation tokens from a signed JWT, their quota, expiry and
ETags, and the quota counters of the stats endpoint."""

from __future__ import annotations

import time

import jwt

from hubdeck.simulator import Simulator

from .conftest import auth, client_for, issue_token, make_config


def app_jwt(app_id: int, key: str, now: float | None = None, lifetime: int = 540) -> str:
    now = time.time() if now is None else now
    claims = {"iat": int(now) - 60, "exp": int(now) + lifetime, "iss": str(app_id)}
    return jwt.encode(claims, key, algorithm="RS256")


async def test_an_installation_token_is_minted_from_a_signed_jwt_and_shares_its_quota() -> None:
    config = make_config(
        clock_frozen=False, now=None, installation_rate_limit_per_hour=7, installation_token_ttl=60
    )
    async with Simulator(config) as sim, client_for(sim) as client:
        app = (await client.post("/_simulator/apps", json={"slug": "deck"})).json()
        assert app["bot"] == "deck[bot]" and "BEGIN PRIVATE KEY" in app["private_key"]
        installed = await client.post(f"/_simulator/apps/{app['id']}/installations", json={})
        installation = installed.json()["id"]
        url = f"/app/installations/{installation}/access_tokens"

        refused = await client.post(url, headers=auth("not-a-jwt"))
        assert refused.status_code == 401
        too_long = app_jwt(app["id"], app["private_key"], lifetime=3600)
        assert (await client.post(url, headers=auth(too_long))).status_code == 401
        wrong = await client.post(
            f"/app/installations/{installation + 1}/access_tokens",
            headers=auth(app_jwt(app["id"], app["private_key"])),
        )
        assert wrong.status_code == 404

        first = await client.post(url, headers=auth(app_jwt(app["id"], app["private_key"])))
        second = await client.post(url, headers=auth(app_jwt(app["id"], app["private_key"])))
        assert first.status_code == 201 and first.json()["token"].startswith("ghs_")
        one, two = first.json()["token"], second.json()["token"]
        private = next(r for r in sim.store.repos.values() if r.private)
        seen = await client.get(f"/repos/{private.full_name}", headers=auth(one))
        assert seen.status_code == 200  # installed on the organization: private repos too
        assert seen.headers["x-ratelimit-limit"] == "7"
        after = await client.get(f"/repos/{private.full_name}", headers=auth(two))
        assert int(after.headers["x-ratelimit-remaining"]) == 5  # one quota for both tokens
        # The ETag belongs to the installation: the other token's conditional GET is a 304.
        again = await client.get(
            f"/repos/{private.full_name}",
            headers=auth(one) | {"If-None-Match": seen.headers["etag"]},
        )
        assert again.status_code == 304


async def test_etags_are_tied_to_the_token_and_expired_tokens_are_refused() -> None:
    config = make_config(clock_frozen=True, installation_token_ttl=30)
    async with Simulator(config) as sim, client_for(sim) as client:
        alice, bob = await issue_token(client, "alice"), await issue_token(client, "bob")
        first = await client.get("/repos/acme/api", headers=auth(alice))
        other = await client.get(
            "/repos/acme/api", headers=auth(bob) | {"If-None-Match": first.headers["etag"]}
        )
        assert other.status_code == 200  # another credential's ETag does not match
        app = (await client.post("/_simulator/apps", json={})).json()
        installation = (
            await client.post(f"/_simulator/apps/{app['id']}/installations", json={})
        ).json()["id"]
        # the JWT is checked against the wall clock (like the signer's); the token's expiry
        # follows the simulator's clock
        minted = await client.post(
            f"/app/installations/{installation}/access_tokens",
            headers=auth(app_jwt(app["id"], app["private_key"])),
        )
        token = minted.json()["token"]
        assert (await client.get("/repos/acme/api", headers=auth(token))).status_code == 200
        sim.clock.advance(31)
        assert (await client.get("/repos/acme/api", headers=auth(token))).status_code == 401


async def test_the_stats_show_the_lowest_remaining_quota_and_refusals_per_key() -> None:
    async with Simulator(make_config(rate_limit_per_hour=2)) as sim, client_for(sim) as client:
        token = await issue_token(client, "alice")
        for path in ("/repos/acme/api", "/repos/acme/web", "/repos/acme/api/issues"):
            await client.get(path, headers=auth(token))
        stats = (await client.get("/_simulator/stats")).json()
        assert stats["lowest_remaining"][token] == 0
        assert stats["primary_limited_by_key"][token] == 1
        assert stats["quota_spent"][token] == 2
        del sim
