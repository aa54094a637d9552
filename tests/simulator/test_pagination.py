"""Link pagination in GitHub's exact format (compared with a recorded real exchange)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import httpx

from .conftest import FIXTURES, auth

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def parse_link(header: str) -> list[tuple[str, str]]:
    """(rel, url) pairs in header order; the whole header must be made of them."""
    pairs = LINK.findall(header)
    assert ", ".join(f'<{url}>; rel="{rel}"' for url, rel in pairs) == header
    return [(rel, url) for url, rel in pairs]


def page_of(url: str) -> int:
    return int(dict(parse_qsl(urlsplit(url).query))["page"])


def recorded_links() -> list[tuple[int, list[tuple[str, int]]]]:
    exchanges = json.loads(
        (FIXTURES / "rest-recordings" / "paginate-issues.json").read_text(encoding="utf-8")
    )
    found = []
    for exchange in exchanges:
        query = dict(parse_qsl(urlsplit(exchange["path"]).query))
        rels = [(rel, page_of(url)) for rel, url in parse_link(exchange["headers"]["link"])]
        found.append((int(query.get("page", "1")), rels))
    return found


async def test_link_headers_match_githubs_format(client: httpx.AsyncClient, token: str) -> None:
    """Same rels, same order, same page numbers as the recording of 13 issues, 3 per page."""
    issues = (
        await client.get("/repos/acme/api/issues?state=all&per_page=100", headers=auth(token))
    ).json()
    per_page = max(1, -(-len(issues) // 5))  # five pages, like the recording
    recorded = dict(recorded_links())
    assert sorted(recorded) == [1, 2, 3, 4, 5]
    for page in range(1, 6):
        response = await client.get(
            f"/repos/acme/api/issues?state=all&per_page={per_page}&page={page}", headers=auth(token)
        )
        rels = parse_link(response.headers["link"])
        assert [rel for rel, _ in rels] == [rel for rel, _ in recorded[page]]
        last = -(-len(issues) // per_page)
        expected = {"prev": page - 1, "next": page + 1, "last": last, "first": 1}
        assert all(page_of(url) == expected[rel] for rel, url in rels)


async def test_links_keep_the_query_and_point_at_repository_ids(
    client: httpx.AsyncClient, token: str
) -> None:
    repo = (await client.get("/repos/acme/api", headers=auth(token))).json()
    response = await client.get(
        "/repos/acme/api/issues?state=all&per_page=2&sort=updated", headers=auth(token)
    )
    rel, url = parse_link(response.headers["link"])[0]
    assert rel == "next"
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://sim"
    assert parts.path == f"/repositories/{repo['id']}/issues"
    assert parse_qsl(parts.query) == [
        ("state", "all"),
        ("per_page", "2"),
        ("sort", "updated"),
        ("page", "2"),
    ]


async def test_following_next_walks_every_item_once(client: httpx.AsyncClient, token: str) -> None:
    everything = (
        await client.get("/repos/acme/api/issues?state=all&per_page=100", headers=auth(token))
    ).json()
    seen: list[int] = []
    url: str | None = "/repos/acme/api/issues?state=all&per_page=7"
    while url is not None:
        response = await client.get(url, headers=auth(token))
        assert response.status_code == 200
        seen += [issue["number"] for issue in response.json()]
        links = dict(parse_link(response.headers["link"])) if "link" in response.headers else {}
        url = links.get("next")
    assert seen == [issue["number"] for issue in everything]
    assert len(set(seen)) == len(seen)


async def test_page_size_defaults_and_bounds(client: httpx.AsyncClient, token: str) -> None:
    commits = "/repos/acme/api/commits"
    default = await client.get(commits, headers=auth(token))
    assert len(default.json()) == 30
    assert len((await client.get(f"{commits}?per_page=500", headers=auth(token))).json()) == 100
    single = await client.get("/repos/acme/api/languages", headers=auth(token))
    assert "link" not in single.headers
    beyond = await client.get(f"{commits}?per_page=100&page=999", headers=auth(token))
    assert beyond.json() == []
    assert [rel for rel, _ in parse_link(beyond.headers["link"])] == ["prev", "first"]


async def test_workflow_runs_are_wrapped_with_a_total(
    client: httpx.AsyncClient, token: str
) -> None:
    response = await client.get("/repos/acme/api/actions/runs?per_page=5", headers=auth(token))
    body = response.json()
    assert set(body) == {"total_count", "workflow_runs"}
    assert len(body["workflow_runs"]) == 5 and body["total_count"] > 5
    rels = dict(parse_link(response.headers["link"]))
    assert page_of(rels["last"]) == -(-body["total_count"] // 5)
