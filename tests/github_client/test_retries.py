"""Retries: 5xx, timeouts and connection errors come back with growing, jittered delays; other
failures are final at once."""

from __future__ import annotations

import httpx
import pytest
from structlog.testing import capture_logs

from hubdeck.adapters.github import GitHubClient, credential_id
from hubdeck.core.github.errors import (
    GitHubUnavailable,
    NotFound,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from tests.github_client.fakes import API, Script, Sleeps, error, rate_headers, sequence

OK = httpx.Response(200, json={"login": "alice", "id": 1, "type": "User"}, headers=rate_headers(10))


def client(script: Script, sleeps: Sleeps, *draws: float, max_retries: int = 3) -> GitHubClient:
    return GitHubClient(
        API,
        transport=script.transport,
        max_retries=max_retries,
        sleep=sleeps,
        random=sequence(*(draws or (1.0,))),
    )


async def test_two_502s_then_success() -> None:
    script = Script([error(502, "Server Error"), error(502, "Server Error"), OK])
    sleeps = Sleeps()
    async with client(script, sleeps, 0.9, 0.7) as gh:
        result = await gh.get_authenticated_user("t")
    assert result.value.login == "alice"
    assert len(script.requests) == 3
    # Full jitter: random · base · 2^attempt (base 0.5 s).
    assert sleeps.delays == pytest.approx([0.9 * 0.5, 0.7 * 1.0])
    assert sleeps.delays[1] > sleeps.delays[0]


async def test_two_read_timeouts_then_success() -> None:
    script = Script([httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"), OK])
    sleeps = Sleeps()
    async with client(script, sleeps) as gh:
        result = await gh.get_authenticated_user("t")
    assert result.value.id == 1
    assert sleeps.delays == [0.5, 1.0]  # the upper bounds when random() is 1


async def test_connection_errors_are_retried_too() -> None:
    script = Script([httpx.ConnectError("refused"), httpx.RemoteProtocolError("eof"), OK])
    sleeps = Sleeps()
    async with client(script, sleeps) as gh:
        await gh.get_authenticated_user("t")
    assert len(script.requests) == 3 and len(sleeps.delays) == 2


async def test_exhausted_5xx_is_a_server_error() -> None:
    script = Script([error(503, "Service Unavailable")])
    sleeps = Sleeps()
    async with client(script, sleeps, max_retries=3) as gh:
        with pytest.raises(ServerError) as caught:
            await gh.get_authenticated_user("t")
    assert caught.value.status == 503 and caught.value.message == "Service Unavailable"
    assert len(script.requests) == 4  # one try and three retries
    assert sleeps.delays == [0.5, 1.0, 2.0]


async def test_exhausted_timeouts_are_unavailable() -> None:
    script = Script([httpx.ConnectTimeout("no route")])
    sleeps = Sleeps()
    async with client(script, sleeps, max_retries=2) as gh:
        with pytest.raises(GitHubUnavailable) as caught:
            await gh.get_authenticated_user("t")
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, httpx.ConnectTimeout)
    assert len(script.requests) == 3 and len(sleeps.delays) == 2


async def test_delays_are_capped() -> None:
    script = Script([error(500, "boom")])
    sleeps = Sleeps()
    gh = GitHubClient(
        API,
        transport=script.transport,
        max_retries=8,
        backoff_base=1.0,
        backoff_cap=10.0,
        sleep=sleeps,
        random=lambda: 1.0,
    )
    async with gh:
        with pytest.raises(ServerError):
            await gh.get("/user", token="t")
    assert sleeps.delays == [1, 2, 4, 8, 10, 10, 10, 10]


@pytest.mark.parametrize(
    ("answer", "raised"),
    [
        (error(401, "Bad credentials"), Unauthorized),
        (error(404, "Not Found"), NotFound),
        (error(422, "Validation Failed", errors=[{"code": "invalid"}]), ValidationFailed),
    ],
)
async def test_client_errors_are_not_retried(
    answer: httpx.Response, raised: type[Exception]
) -> None:
    script = Script([answer, OK])
    sleeps = Sleeps()
    async with client(script, sleeps) as gh:
        with pytest.raises(raised):
            await gh.get("/user", token="t")
    assert len(script.requests) == 1 and sleeps.delays == []


async def test_a_write_is_retried_only_when_it_never_left() -> None:
    sleeps = Sleeps()
    unsent = Script([httpx.ConnectError("refused"), httpx.Response(201, json={"id": 1})])
    async with client(unsent, sleeps) as gh:
        made = await gh.request("POST", "/repos/a/b/labels", token="t", json={"name": "x"})
    assert made.status == 201 and len(unsent.requests) == 2

    maybe_sent = Script([httpx.ReadTimeout("lost"), httpx.Response(201, json={"id": 1})])
    async with client(maybe_sent, sleeps) as gh:
        with pytest.raises(GitHubUnavailable):
            await gh.request("POST", "/repos/a/b/labels", token="t", json={"name": "x"})
    assert len(maybe_sent.requests) == 1

    failed = Script([error(502, "Bad Gateway"), httpx.Response(201, json={"id": 1})])
    async with client(failed, sleeps) as gh:
        with pytest.raises(ServerError):
            await gh.request("POST", "/repos/a/b/labels", token="t", json={"name": "x"})
    assert len(failed.requests) == 1


async def test_an_unusable_url_is_not_retried() -> None:
    script = Script([httpx.UnsupportedProtocol("ftp?")])
    sleeps = Sleeps()
    async with client(script, sleeps) as gh:
        with pytest.raises(GitHubUnavailable):
            await gh.get("/user", token="t")
    assert sleeps.delays == []


async def test_retry_logs_name_the_credential_by_hash_only() -> None:
    token = "ghp_secretSecretSecretSecretSecret0001"
    script = Script([error(502, "Bad Gateway"), OK])
    with capture_logs() as logs:
        async with client(script, Sleeps()) as gh:
            await gh.get_authenticated_user(token)
    assert [entry["event"] for entry in logs] == ["github.retry"]
    assert logs[0]["credential"] == credential_id(token)
    assert token not in repr(logs)
