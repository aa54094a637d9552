"""Query parameters of list endpoints filter and order like GitHub's."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from .conftest import NOW, auth


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_issue_filters(client: httpx.AsyncClient, token: str) -> None:
    url = "/repos/acme/api/issues"
    every = (await client.get(f"{url}?state=all&per_page=100", headers=auth(token))).json()
    assert {i["state"] for i in every} == {"open", "closed"}
    closed = (await client.get(f"{url}?state=closed&per_page=100", headers=auth(token))).json()
    assert closed and all(i["state"] == "closed" for i in closed)
    since = NOW - timedelta(days=7)
    recent = (
        await client.get(f"{url}?state=all&since={since:%Y-%m-%dT%H:%M:%SZ}", headers=auth(token))
    ).json()
    assert all(parse(i["updated_at"]) >= since for i in recent)
    assert len(recent) < len(every)
    oldest_first = (
        await client.get(f"{url}?state=all&direction=asc&per_page=100", headers=auth(token))
    ).json()
    assert [i["number"] for i in oldest_first] == sorted(i["number"] for i in every)
    by_update = (
        await client.get(f"{url}?state=all&sort=updated&per_page=100", headers=auth(token))
    ).json()
    stamps = [i["updated_at"] for i in by_update]
    assert stamps == sorted(stamps, reverse=True)
    bugs = (await client.get(f"{url}?state=all&labels=bug", headers=auth(token))).json()
    assert all("bug" in {label["name"] for label in i["labels"]} for i in bugs)


async def test_pull_filters(client: httpx.AsyncClient, token: str) -> None:
    url = "/repos/acme/api/pulls"
    pulls = (await client.get(f"{url}?state=all&per_page=100", headers=auth(token))).json()
    assert {p["state"] for p in pulls} == {"open", "closed"}
    assert all("merged" not in p for p in pulls)  # list items are the simple shape
    head = pulls[0]["head"]["ref"]
    only = (await client.get(f"{url}?state=all&head=acme:{head}", headers=auth(token))).json()
    assert [p["number"] for p in only] == [pulls[0]["number"]]
    comments = (
        await client.get("/repos/acme/api/issues/comments?per_page=100", headers=auth(token))
    ).json()
    assert [c["created_at"] for c in comments] == sorted(c["created_at"] for c in comments)


async def test_workflow_run_filters(client: httpx.AsyncClient, token: str) -> None:
    url = "/repos/acme/api/actions/runs"
    failed = (await client.get(f"{url}?status=failure&per_page=100", headers=auth(token))).json()
    assert failed["total_count"] > 0
    assert {r["conclusion"] for r in failed["workflow_runs"]} == {"failure"}
    main = (await client.get(f"{url}?branch=main&per_page=100", headers=auth(token))).json()
    master = (await client.get(f"{url}?branch=master&per_page=100", headers=auth(token))).json()
    default = main if main["total_count"] else master
    assert default["total_count"] > 0
    assert {r["event"] for r in default["workflow_runs"]} == {"push"}
    day = (NOW - timedelta(days=10)).date()
    that_day = (await client.get(f"{url}?created={day}&per_page=100", headers=auth(token))).json()
    assert all(r["created_at"].startswith(str(day)) for r in that_day["workflow_runs"])
    after = (await client.get(f"{url}?created=>={day}&per_page=100", headers=auth(token))).json()
    assert all(r["created_at"] >= str(day) for r in after["workflow_runs"])
    assert (await client.get(f"{url}?created=someday", headers=auth(token))).status_code == 422
    assert (await client.get(f"{url}?status=exploded", headers=auth(token))).status_code == 422


async def test_commit_filters_and_activity(client: httpx.AsyncClient, token: str) -> None:
    url = "/repos/acme/api/commits"
    since, until = NOW - timedelta(days=30), NOW - timedelta(days=10)
    window = (
        await client.get(
            f"{url}?since={since:%Y-%m-%dT%H:%M:%SZ}&until={until:%Y-%m-%dT%H:%M:%SZ}&per_page=100",
            headers=auth(token),
        )
    ).json()
    assert window and all(since <= parse(c["commit"]["author"]["date"]) <= until for c in window)
    author = next(c["author"]["login"] for c in window if c["author"])
    mine = (await client.get(f"{url}?author={author}&per_page=100", headers=auth(token))).json()
    assert mine and all(c["author"] and c["author"]["login"] == author for c in mine)
    single = (await client.get(f"{url}/{window[0]['sha']}", headers=auth(token))).json()
    assert single["sha"] == window[0]["sha"] and single["stats"]["total"] >= 1

    weeks = (await client.get("/repos/acme/api/stats/commit_activity", headers=auth(token))).json()
    assert len(weeks) == 52 and all(
        len(w["days"]) == 7 and w["total"] == sum(w["days"]) for w in weeks
    )
    assert sum(w["total"] for w in weeks[-12:]) > 0
    participation = (
        await client.get("/repos/acme/api/stats/participation", headers=auth(token))
    ).json()
    assert participation["all"] == [w["total"] for w in weeks]
