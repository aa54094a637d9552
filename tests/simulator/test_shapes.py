"""The simulator answers in the shapes of recorded real GitHub exchanges (octokit/fixtures)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .conftest import FIXTURES, auth
from .test_pagination import parse_link

RECORDINGS = FIXTURES / "rest-recordings"


def recorded(name: str, index: int = 0) -> dict[str, Any]:
    exchanges: list[dict[str, Any]] = json.loads((RECORDINGS / name).read_text(encoding="utf-8"))
    return exchanges[index]


def same_types(ours: Any, theirs: Any) -> bool:
    """Null on either side matches anything; ints and floats do not mix; lists compare items."""
    if ours is None or theirs is None:
        return True
    if isinstance(theirs, dict):
        return isinstance(ours, dict)
    return type(ours) is type(theirs)


async def test_repository(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("get-repository.json")["response"]
    ours = (await client.get("/repos/acme/api", headers=auth(token))).json()
    assert set(theirs) <= set(ours)
    assert [k for k in theirs if not same_types(ours[k], theirs[k])] == []
    assert set(theirs["owner"]) == set(ours["owner"])
    assert set(theirs["permissions"]) == set(ours["permissions"])
    assert ours["owner"]["type"] == "Organization" and ours["full_name"] == "acme/api"
    assert ours["languages_url"].endswith("/repos/acme/api/languages")


async def test_organization(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("get-organization.json")["response"]
    ours = (await client.get("/orgs/acme", headers=auth(token))).json()
    assert set(theirs) <= set(ours)
    assert [k for k in theirs if not same_types(ours[k], theirs[k])] == []


async def test_issue_and_user(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("paginate-issues.json")["response"][0]
    issues = (await client.get("/repos/acme/api/issues?state=all", headers=auth(token))).json()
    plain = next(i for i in issues if "pull_request" not in i)
    pull = next(i for i in issues if "pull_request" in i)
    for ours in (plain, pull):
        assert set(theirs) <= set(ours)
        assert [k for k in theirs if not same_types(ours[k], theirs[k])] == []
        assert set(ours["user"]) == set(theirs["user"])
        assert set(ours["reactions"]) == set(theirs["reactions"])
    assert set(pull["pull_request"]) == {"url", "html_url", "diff_url", "patch_url", "merged_at"}
    assert pull["html_url"].endswith(f"/pull/{pull['number']}")


async def test_root(client: httpx.AsyncClient) -> None:
    theirs = recorded("get-root.json")["response"]
    ours = (await client.get("/")).json()
    assert list(ours) == list(theirs)
    assert all(ours[k].endswith(theirs[k].split("github.com", 1)[1]) for k in theirs)


async def test_headers(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("get-repository.json")["headers"]
    response = await client.get("/repos/acme/api", headers=auth(token))
    transport_level = {
        "connection",
        "date",
        "last-modified",
        "strict-transport-security",
        "content-length",
    }
    assert set(theirs) - transport_level <= set(response.headers)
    for name in (
        "access-control-expose-headers",
        "x-github-media-type",
        "content-type",
        "x-ratelimit-resource",
    ):
        assert response.headers[name] == theirs[name]


async def test_link_parses_the_same_way(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("paginate-issues.json", 1)["headers"]["link"]
    ours = (
        await client.get("/repos/acme/api/issues?per_page=3&page=2", headers=auth(token))
    ).headers["link"]
    assert [rel for rel, _ in parse_link(ours)] == [rel for rel, _ in parse_link(theirs)]
    assert [url.split("?", 1)[1] for _, url in parse_link(ours)][:2] == [
        url.split("?", 1)[1] for _, url in parse_link(theirs)
    ][:2]


async def test_validation_error(client: httpx.AsyncClient, token: str) -> None:
    theirs = recorded("errors.json")
    ours = await client.get("/repos/acme/api/issues?direction=sideways", headers=auth(token))
    assert ours.status_code == theirs["status"] == 422
    body = ours.json()
    assert set(body) == set(theirs["response"])
    assert body["message"] == theirs["response"]["message"]
    assert set(theirs["response"]["errors"][0]) <= set(body["errors"][0])
    assert body["errors"][0]["code"] == "invalid" and body["errors"][0]["field"] == "direction"
