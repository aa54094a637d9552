"""The client against recorded real GitHub exchanges (octokit/fixtures), replayed."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from hubdeck.adapters.github import ETagStore, GitHubClient
from hubdeck.adapters.memory import MemoryCache
from hubdeck.core.github.errors import ValidationFailed
from hubdeck.core.github.models import AccountType, IssueState
from hubdeck.core.github.ratelimit import RateLimit
from tests.github_client.replay import API, load, recorded_headers, replay

TOKEN = "0000000000000000000000000000000000000001"  # the recordings' normalized token
ISSUES = "/repos/octokit-fixture-org/paginate-issues/issues"


def expected_rate_limit(exchange: dict[str, Any]) -> RateLimit:
    headers = recorded_headers(exchange)
    return RateLimit(
        limit=int(headers["x-ratelimit-limit"]),
        remaining=int(headers["x-ratelimit-remaining"]),
        used=int(headers["x-ratelimit-used"]),
        # Stored in milliseconds by octokit/fixtures; GitHub sends seconds.
        reset=int(headers["x-ratelimit-reset"]) // 1000,
        resource=headers["x-ratelimit-resource"],
    )


async def test_link_pagination_gives_every_page_in_order() -> None:
    recorded = load("paginate-issues.json")
    player = replay("paginate-issues.json")
    async with GitHubClient(API, transport=player.transport) as gh:
        pages = [p async for p in gh.pages(ISSUES, token=TOKEN, params={"per_page": 3})]
    assert [p.data for p in pages] == [e["response"] for e in recorded]
    assert [p.url for p in pages] == [API + e["path"] for e in recorded]
    assert [p.next_url for p in pages] == [API + e["path"] for e in recorded[1:]] + [None]
    numbers = [item["number"] for page in pages for item in page.data]
    assert numbers == list(range(13, 0, -1))
    # Every request carried the token and asked for GitHub's JSON.
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in player.requests)
    assert all(r.headers["accept"] == "application/vnd.github+json" for r in player.requests)
    assert all(r.headers["user-agent"].startswith("HubDeck/") for r in player.requests)


async def test_collect_and_max_pages() -> None:
    async with GitHubClient(API, transport=replay("paginate-issues.json").transport) as gh:
        everything = await gh.collect(ISSUES, token=TOKEN, params={"per_page": 3})
        first_two = await gh.collect(ISSUES, token=TOKEN, params={"per_page": 3}, max_pages=2)
    assert [i["number"] for i in everything.value] == list(range(13, 0, -1))
    assert (everything.pages, everything.truncated, everything.not_modified) == (5, False, False)
    assert [i["number"] for i in first_two.value] == [13, 12, 11, 10, 9, 8]
    assert (first_two.pages, first_two.truncated) == (2, True)


async def test_list_issues_parses_every_recorded_page() -> None:
    player = replay("paginate-issues.json", loose=True)
    async with GitHubClient(API, transport=player.transport) as gh:
        result = await gh.list_issues("octokit-fixture-org", "paginate-issues", token=TOKEN)
    assert [i.number for i in result.value] == list(range(13, 0, -1))
    first = result.value[0]
    assert first.title == "Test issue 13" and first.state is IssueState.open
    assert first.author.login == "octokit-fixture-user-a" and first.comments == 42
    assert first.created_at == datetime(2017, 10, 10, 16, 0, tzinfo=UTC)
    # The client's own query on the first request: everything, 100 a page, by update.
    query = dict(player.requests[0].url.params)
    assert query == {"per_page": "100", "state": "all", "sort": "updated", "direction": "desc"}
    assert result.pages == 5


@pytest.mark.parametrize("name", ["paginate-issues.json", "get-repository.json", "labels.json"])
async def test_rate_limit_headers_parse_exactly(name: str) -> None:
    gets = [e for e in load(name) if e["method"] == "get"]
    async with GitHubClient(API, transport=replay(name).transport) as gh:
        pages = [await gh.get(API + e["path"], token=TOKEN) for e in gets]
    for page, exchange in zip(pages, gets, strict=True):
        assert page.rate_limit == expected_rate_limit(exchange)
        assert page.rate_limit is not None
        # The normalized reset is the recording's own Date.
        assert page.rate_limit.reset_at == parsedate_to_datetime(exchange["headers"]["date"])
        assert page.etag == exchange["headers"]["etag"]


async def test_search_bucket_is_its_own_resource() -> None:
    [exchange] = load("search-issues.json")
    async with GitHubClient(API, transport=replay("search-issues.json").transport) as gh:
        page = await gh.get(
            "/search/issues",
            token=TOKEN,
            params={"q": "sesame repo:octokit-fixture-org/search-issues"},
        )
    assert page.rate_limit == expected_rate_limit(exchange)
    assert page.rate_limit is not None
    assert (page.rate_limit.resource, page.rate_limit.limit, page.rate_limit.remaining) == (
        "search",
        30,
        29,
    )
    assert page.data["total_count"] == 2


async def test_validation_failed_carries_githubs_errors() -> None:
    [exchange] = load("errors.json")
    async with GitHubClient(API, transport=replay("errors.json").transport) as gh:
        with pytest.raises(ValidationFailed) as caught:
            await gh.request("POST", exchange["path"], token=TOKEN, json=exchange["body"])
    error = caught.value
    assert error.status == 422
    assert error.message == "Validation Failed"
    assert error.errors == ({"resource": "Label", "code": "invalid", "field": "color"},)
    assert error.documentation_url == exchange["response"]["documentation_url"]
    assert error.rate_limit == expected_rate_limit(exchange)


async def test_get_repository_parses_the_recorded_repository() -> None:
    player = replay("get-repository.json")
    async with GitHubClient(API, transport=player.transport) as gh:
        result = await gh.get_repository("octokit-fixture-org", "hello-world", token=TOKEN)
    repo = result.value
    assert (repo.github_id, repo.owner, repo.name, repo.full_name) == (
        1000,
        "octokit-fixture-org",
        "hello-world",
        "octokit-fixture-org/hello-world",
    )
    assert repo.private is False and repo.archived is False
    assert repo.default_branch == "master"
    assert repo.html_url == "https://github.com/octokit-fixture-org/hello-world"
    assert repo.description is None and repo.language is None
    assert (repo.stars, repo.forks, repo.watchers, repo.open_issues) == (42, 42, 42, 42)
    assert repo.topics == ("fixtures", "hello", "hello-world")
    moment = datetime(2017, 10, 10, 16, 0, tzinfo=UTC)
    assert repo.pushed_at == moment and repo.created_at == moment
    assert result.not_modified is False
    assert result.rate_limit == expected_rate_limit(load("get-repository.json")[0])


async def test_a_renamed_repository_is_followed_through_githubs_301() -> None:
    player = replay("rename-repository.json")
    async with GitHubClient(API, transport=player.transport) as gh:
        result = await gh.get_repository("octokit-fixture-org", "rename-repository", token=TOKEN)
    assert result.value.name == "rename-repository-newname"
    assert [r.url.path for r in player.requests] == [
        "/repos/octokit-fixture-org/rename-repository",
        "/repositories/1000",
    ]
    # Same origin: the token goes along to the new location.
    assert player.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


async def test_recorded_etags_make_the_next_get_conditional() -> None:
    player = replay("get-repository.json")
    store = ETagStore(MemoryCache())
    async with GitHubClient(API, transport=player.transport, etags=store) as gh:
        await gh.get_repository("octokit-fixture-org", "hello-world", token=TOKEN)
        await gh.get_repository("octokit-fixture-org", "hello-world", token=TOKEN)
    assert "if-none-match" not in player.requests[0].headers
    assert player.requests[1].headers["if-none-match"] == '"00000000000000000000000000000000"'


def test_the_organization_owner_is_an_organization() -> None:
    from hubdeck.core.github.parse import parse_account

    owner = load("get-repository.json")[0]["response"]["owner"]
    assert parse_account(owner).type is AccountType.organization


async def test_a_listing_can_resume_from_a_link_target() -> None:
    recorded = load("paginate-issues.json")
    async with GitHubClient(API, transport=replay("paginate-issues.json").transport) as gh:
        rest = await gh.collect(API + recorded[3]["path"], token=TOKEN)
    assert [i["number"] for i in rest.value] == [4, 3, 2, 1]
    assert rest.pages == 2
