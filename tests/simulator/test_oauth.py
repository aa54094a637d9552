"""The OAuth web flow: user chooser, state, PKCE S256, single-use expiring codes, errors."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from hubdeck.simulator import OAuthApp, Simulator

from .conftest import auth, client_for, make_config

CLIENT_ID, CLIENT_SECRET = "hubdeck-simulator", "hubdeck-simulator-secret"
CALLBACK = "http://hubdeck.test/auth/github/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    return verifier, challenge


async def authorize(
    client: httpx.AsyncClient, login: str, challenge: str | None, state: str = "xyz"
) -> str:
    """Opens the chooser page, clicks "Sign in as <login>", returns the code from the redirect."""
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "state": state,
        "scope": "repo read:org",
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    page = await client.get(f"/login/oauth/authorize?{urlencode(params)}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    links = {
        unescape(text): unescape(href)
        for href, text in re.findall(r'<a class="login"[^>]*href="([^"]+)">([^<]+)</a>', page.text)
    }
    assert f"Sign in as {login}" in links
    redirect = await client.get(links[f"Sign in as {login}"])
    assert redirect.status_code == 302
    location = urlsplit(redirect.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


async def exchange(
    client: httpx.AsyncClient, code: str, verifier: str | None, **extra: str
) -> dict[str, str]:
    form = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code,
        "redirect_uri": CALLBACK,
    }
    if verifier is not None:
        form["code_verifier"] = verifier
    response = await client.post(
        "/login/oauth/access_token", data=form | extra, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200  # GitHub reports token errors with 200
    return dict(response.json())


async def test_the_chooser_lists_every_person(client: httpx.AsyncClient) -> None:
    page = await client.get(f"/login/oauth/authorize?client_id={CLIENT_ID}&redirect_uri={CALLBACK}")
    logins = re.findall(r">Sign in as ([^<]+)</a>", page.text)
    assert logins[:3] == ["alice", "bob", "carol"]
    assert "zoe-dev" in logins and "dependabot[bot]" not in logins


async def test_the_full_flow_with_pkce(client: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await authorize(client, "bob", challenge)
    token = await exchange(client, code, verifier)
    assert token["token_type"] == "bearer"
    assert token["scope"] == "repo,read:org"
    assert token["access_token"].startswith("gho_")
    user = await client.get("/user", headers=auth(token["access_token"]))
    assert user.json()["login"] == "bob"
    assert user.headers["x-oauth-scopes"] == "repo, read:org"


async def test_a_wrong_verifier_is_refused_and_burns_the_code(client: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await authorize(client, "alice", challenge)
    refused = await exchange(client, code, "not-the-verifier-" + "x" * 40)
    assert refused["error"] == "bad_verification_code"
    assert "code_verifier" in refused["error_description"]
    assert (await exchange(client, code, verifier))["error"] == "bad_verification_code"
    missing = await exchange(client, await authorize(client, "alice", challenge), None)
    assert missing["error"] == "bad_verification_code"


async def test_a_code_works_once(client: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await authorize(client, "carol", challenge)
    assert "access_token" in await exchange(client, code, verifier)
    again = await exchange(client, code, verifier)
    assert again == {
        "error": "bad_verification_code",
        "error_description": "The code passed is incorrect or expired.",
        "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
    }


async def test_codes_expire_after_ten_minutes(sim: Simulator, client: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await authorize(client, "carol", challenge)
    sim.clock.advance(601)
    assert (await exchange(client, code, verifier))["error"] == "bad_verification_code"


async def test_client_credentials_and_redirect_uri_are_checked(client: httpx.AsyncClient) -> None:
    verifier, challenge = pkce()
    code = await authorize(client, "alice", challenge)
    wrong_secret = await exchange(client, code, verifier, client_secret="nope")
    assert wrong_secret["error"] == "incorrect_client_credentials"
    mismatch = await exchange(client, code, verifier, redirect_uri="http://evil.test/cb")
    assert mismatch["error"] == "redirect_uri_mismatch"


async def test_form_encoded_answer_without_json_accept(client: httpx.AsyncClient) -> None:
    code = await authorize(client, "alice", None)
    response = await client.post(
        "/login/oauth/access_token",
        data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code},
    )
    body = parse_qs(response.text)
    assert body["token_type"] == ["bearer"] and body["access_token"][0].startswith("gho_")


async def test_registered_callback_and_denial() -> None:
    app = OAuthApp(client_id="cb-app", client_secret="cb-secret", callback_url=CALLBACK)
    async with Simulator(make_config(oauth_apps=(app,))) as sim, client_for(sim) as client:
        bad = await client.get(
            "/login/oauth/authorize?client_id=cb-app&redirect_uri=http://evil.test/&state=s"
        )
        assert bad.status_code == 302
        assert parse_qs(urlsplit(bad.headers["location"]).query)["error"] == [
            "redirect_uri_mismatch"
        ]
        page = await client.get("/login/oauth/authorize?client_id=cb-app&state=s2")
        deny = unescape(re.search(r'<a class="deny" href="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
        denied = await client.get(deny)
        query = parse_qs(urlsplit(denied.headers["location"]).query)
        assert query["error"] == ["access_denied"] and query["state"] == ["s2"]
        unknown = await client.get("/login/oauth/authorize?client_id=who")
        assert unknown.status_code == 404
