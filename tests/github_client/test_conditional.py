"""Conditional GETs through the ETag store, on the memory cache and on a real Redis."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from hubdeck.adapters.github import CachedAnswer, ETagStore, GitHubClient, credential_id
from hubdeck.adapters.memory import MemoryCache
from hubdeck.adapters.redis import RedisCache
from hubdeck.ports import Cache
from tests.github_client.fakes import API, EtagServer

TOKEN = "ghp_conditionalTestToken000000000000001"
OTHER = "ghp_conditionalTestToken000000000000002"
REPO = {
    "id": 7,
    "name": "api",
    "owner": {"login": "acme", "id": 1, "type": "Organization"},
    "private": False,
    "default_branch": "main",
    "html_url": "https://github.com/acme/api",
    "stargazers_count": 3,
}


@pytest.fixture(params=["memory", "redis"])
def cache_spec(request: pytest.FixtureRequest) -> tuple[str, str] | None:
    # Synchronous: the Redis fixtures run their own event loop (see tests/conftest.py).
    if request.param == "memory":
        return None
    return (request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix"))


@pytest.fixture
async def cache(cache_spec: tuple[str, str] | None) -> AsyncIterator[Cache]:
    if cache_spec is None:
        yield MemoryCache()
        return
    client = aioredis.Redis.from_url(cache_spec[0])
    try:
        yield RedisCache(client, cache_spec[1])
    finally:
        await client.aclose()


async def test_the_second_get_is_a_free_304_with_the_stored_body(cache: Cache) -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    async with GitHubClient(API, transport=server.transport, etags=ETagStore(cache)) as gh:
        first = await gh.get_repository("acme", "api", token=TOKEN)
        second = await gh.get_repository("acme", "api", token=TOKEN)
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == server.etag(json.dumps(REPO).encode())
    assert first.not_modified is False and second.not_modified is True
    assert second.value == first.value
    assert first.rate_limit is not None and second.rate_limit is not None
    assert second.rate_limit.remaining == first.rate_limit.remaining == 4999


async def test_raw_get_marks_the_cached_body(cache: Cache) -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    async with GitHubClient(API, transport=server.transport, etags=ETagStore(cache)) as gh:
        first = await gh.get("/repos/acme/api", token=TOKEN)
        second = await gh.get("/repos/acme/api", token=TOKEN)
    assert (first.status, second.status) == (200, 304)
    assert second.data == first.data == REPO and second.etag == first.etag
    assert second.not_modified


async def test_a_changed_resource_comes_back_whole(cache: Cache) -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    async with GitHubClient(API, transport=server.transport, etags=ETagStore(cache)) as gh:
        await gh.get_repository("acme", "api", token=TOKEN)
        server.pages["/repos/acme/api"] = [REPO | {"stargazers_count": 4}]
        changed = await gh.get_repository("acme", "api", token=TOKEN)
        again = await gh.get_repository("acme", "api", token=TOKEN)
    assert changed.not_modified is False and changed.value.stars == 4
    assert again.not_modified is True and again.value.stars == 4


async def test_etags_belong_to_the_token_that_fetched_them(cache: Cache) -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    async with GitHubClient(API, transport=server.transport, etags=ETagStore(cache)) as gh:
        await gh.get_repository("acme", "api", token=TOKEN)
        other = await gh.get_repository("acme", "api", token=OTHER)
    assert "if-none-match" not in server.requests[1].headers
    assert other.not_modified is False


async def test_a_listing_unchanged_on_every_page_is_not_modified(cache: Cache) -> None:
    issue = {
        "id": 1,
        "number": 1,
        "title": "t",
        "user": {"login": "a", "id": 2},
        "state": "open",
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
    }
    pages = [[issue | {"id": n, "number": n}] for n in (3, 2, 1)]
    server = EtagServer({"/repos/acme/api/issues": pages})
    async with GitHubClient(API, transport=server.transport, etags=ETagStore(cache)) as gh:
        first = await gh.list_issues("acme", "api", token=TOKEN)
        second = await gh.list_issues("acme", "api", token=TOKEN)
        server.pages["/repos/acme/api/issues"][2] = [issue | {"title": "edited"}]
        third = await gh.list_issues("acme", "api", token=TOKEN)
    # The 304s carry no Link: the stored one leads to the next page.
    assert [i.number for i in second.value] == [i.number for i in first.value] == [3, 2, 1]
    assert (first.not_modified, second.not_modified, third.not_modified) == (False, True, False)
    assert first.pages == second.pages == 3
    assert third.value[2].title == "edited"
    assert server.remaining == 5000 - 3 - 1  # three pages, then one changed page


async def test_the_token_is_never_in_a_key_or_a_value(
    cache_spec: tuple[str, str] | None, cache: Cache
) -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    store = ETagStore(cache)
    async with GitHubClient(API, transport=server.transport, etags=store) as gh:
        await gh.get_repository("acme", "api", token=TOKEN)
    key = store.key(credential_id(TOKEN), "GET", f"{API}/repos/acme/api")
    assert TOKEN not in key and "acme" not in key
    assert credential_id(TOKEN).startswith("tok_") and TOKEN not in credential_id(TOKEN)
    raw = await cache.get(key)
    assert raw is not None and TOKEN.encode() not in raw
    if cache_spec is not None:
        client = aioredis.Redis.from_url(cache_spec[0])
        try:
            keys = [k async for k in client.scan_iter(match=cache_spec[1] + "*")]
        finally:
            await client.aclose()
        assert keys and not any(TOKEN.encode() in k for k in keys)


async def test_store_round_trip_forget_and_damage(cache: Cache) -> None:
    store = ETagStore(cache, ttl=60)
    who = credential_id(TOKEN)
    answer = CachedAnswer(
        'W/"abc"', b'[{"a": "line\\nbreak"}]\n', '<https://x/?page=2>; rel="next"'
    )
    await store.put(who, "GET", f"{API}/x", answer)
    assert await store.get(who, "GET", f"{API}/x") == answer
    assert await store.get(who, "GET", f"{API}/x?page=2") is None
    assert await store.get(credential_id(OTHER), "GET", f"{API}/x") is None
    assert await store.forget(who) == 1
    assert await store.get(who, "GET", f"{API}/x") is None
    # Damaged or foreign entries read as missing.
    for raw in (b"not json\n{}", b"{}\n[]", b"no newline"):
        await cache.set(store.key(who, "GET", f"{API}/y"), raw, 60)
        assert await store.get(who, "GET", f"{API}/y") is None


async def test_without_a_store_nothing_is_conditional() -> None:
    server = EtagServer({"/repos/acme/api": [REPO]})
    async with GitHubClient(API, transport=server.transport) as gh:
        await gh.get_repository("acme", "api", token=TOKEN)
        second = await gh.get_repository("acme", "api", token=TOKEN)
    assert "if-none-match" not in server.requests[1].headers and not second.not_modified
