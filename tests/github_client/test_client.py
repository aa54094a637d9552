"""Error mapping, URLs (github.com and GitHub Enterprise Server), Link parsing, the resource
methods' requests, and OAuth against GitHub's documented answers."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hubdeck.adapters.github import (
    GitHubClient,
    OAuthToken,
    authorize_url,
    code_challenge,
    parse_links,
)
from hubdeck.core.github.errors import (
    Forbidden,
    GitHubError,
    NotFound,
    OAuthError,
    RateLimited,
    SecondaryRateLimited,
    Unauthorized,
    UnexpectedResponse,
)
from tests.github_client.fakes import API, RESET, Script, error, rate_headers

GHES = "https://ghe.example.com/api/v3"
# GitHub's messages for its limits (docs.github.com, "Rate limits for the REST API").
PRIMARY = "API rate limit exceeded for user ID 1."
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


async def fail_with(answer: httpx.Response) -> GitHubError:
    async with GitHubClient(API, transport=Script([answer]).transport, max_retries=0) as gh:
        with pytest.raises(GitHubError) as caught:
            await gh.get("/repos/acme/api", token="t")
    return caught.value


async def test_401_is_unauthorized() -> None:
    raised = await fail_with(error(401, "Bad credentials"))
    assert type(raised) is Unauthorized and raised.status == 401
    assert raised.message == "Bad credentials"
    assert raised.documentation_url == "https://docs.github.com/rest"


async def test_403_with_an_empty_bucket_is_the_primary_limit() -> None:
    raised = await fail_with(error(403, PRIMARY, rate_headers(0)))
    assert isinstance(raised, RateLimited)
    assert raised.reset_at == datetime.fromtimestamp(RESET, UTC)
    assert raised.rate_limit is not None and raised.rate_limit.remaining == 0


@pytest.mark.parametrize(
    ("answer", "retry_after"),
    [
        (error(403, SECONDARY, {"retry-after": "30"}), 30),
        (error(429, "Too Many Requests", {"retry-after": "5"}), 5),
        (error(403, SECONDARY), 60),  # no header: at least a minute
    ],
)
async def test_secondary_limits(answer: httpx.Response, retry_after: float) -> None:
    raised = await fail_with(answer)
    assert isinstance(raised, SecondaryRateLimited)
    assert raised.retry_after == retry_after and raised.status == answer.status_code


async def test_other_403_is_forbidden_and_other_4xx_generic() -> None:
    raised = await fail_with(error(403, "Resource not accessible by integration"))
    assert type(raised) is Forbidden and raised.rate_limit is not None
    gone = await fail_with(error(410, "Issues are disabled for this repo"))
    assert type(gone) is GitHubError and gone.status == 410
    assert str(gone) == "410: Issues are disabled for this repo"


async def test_an_html_error_page_still_maps() -> None:
    page = httpx.Response(404, text="<html>nope</html>", headers={"content-type": "text/html"})
    raised = await fail_with(page)
    assert type(raised) is NotFound and raised.message == "Not Found"


async def test_a_body_that_is_not_json_is_unexpected() -> None:
    async with GitHubClient(
        API, transport=Script([httpx.Response(200, text="<html>")]).transport
    ) as gh:
        with pytest.raises(UnexpectedResponse):
            await gh.get("/user", token="t")


async def test_urls_keep_the_enterprise_path_prefix() -> None:
    async with GitHubClient(GHES + "/") as ghes:
        assert ghes.api_url == GHES
        assert ghes.url("/repos/a/b") == GHES + "/repos/a/b"
        assert ghes.url("repos/a/b", {"per_page": 100}) == GHES + "/repos/a/b?per_page=100"
        next_page = GHES + "/repositories/1/issues?page=2"
        assert ghes.url(next_page) == next_page
    async with GitHubClient(API) as dotcom:
        assert dotcom.url("/user") == API + "/user"
        assert dotcom.url("https://api.github.com:443/user") == API + "/user"
        for foreign in ("https://evil.example/user", "http://api.github.com/user"):
            with pytest.raises(UnexpectedResponse):
                dotcom.url(foreign)


def test_parse_links() -> None:
    header = (
        '<https://api.github.com/repositories/1/issues?page=1>; rel="prev", '
        '<https://api.github.com/repositories/1/issues?page=3>; rel="next", '
        '<https://api.github.com/repositories/1/issues?page=5>; rel="last"'
    )
    assert parse_links(header) == {
        "prev": "https://api.github.com/repositories/1/issues?page=1",
        "next": "https://api.github.com/repositories/1/issues?page=3",
        "last": "https://api.github.com/repositories/1/issues?page=5",
    }
    assert parse_links(None) == {} and parse_links("garbage") == {}


async def test_enterprise_requests_and_pagination_stay_under_the_prefix() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        link = {"link": f'<{GHES}/repositories/9/releases?per_page=100&page=2>; rel="next"'}
        body = [{"id": page, "tag_name": f"v{page}", "published_at": "2025-01-01T00:00:00Z"}]
        return httpx.Response(200, json=body, headers=link if page == 1 else {})

    script = Script([answer])
    async with GitHubClient(GHES, transport=script.transport) as gh:
        result = await gh.list_releases("acme", "api", token="t")
    assert [r.tag for r in result.value] == ["v1", "v2"]
    assert [str(r.url) for r in script.requests] == [
        GHES + "/repos/acme/api/releases?per_page=100",
        GHES + "/repositories/9/releases?per_page=100&page=2",
    ]


async def test_a_link_off_the_api_is_refused() -> None:
    answer = httpx.Response(
        200, json=[], headers={"link": '<https://evil.example/x?page=2>; rel="next"'}
    )
    script = Script([answer])
    async with GitHubClient(API, transport=script.transport) as gh:
        with pytest.raises(UnexpectedResponse):
            await gh.collect("/repos/a/b/issues", token="t")
    assert len(script.requests) == 1


async def test_a_pagination_loop_is_stopped() -> None:
    answer = httpx.Response(200, json=[1], headers={"link": f'<{API}/x?per_page=100>; rel="next"'})
    async with GitHubClient(API, transport=Script([answer]).transport) as gh:
        with pytest.raises(UnexpectedResponse):
            await gh.collect("/x", token="t")


async def test_resource_requests() -> None:
    """Each method asks for the right path and query, and parses what comes back."""
    seen: list[httpx.Request] = []
    user = {"login": "alice", "id": 1, "type": "User"}
    repo = {"id": 5, "name": "api", "owner": {"login": "acme", "id": 9}}
    issue = {
        "id": 1,
        "number": 1,
        "user": user,
        "state": "open",
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-02T00:00:00Z",
    }
    commit = {
        "sha": "abc",
        "commit": {"author": {"date": "2025-01-01T00:00:00Z"}, "message": "m"},
        "author": user,
    }
    answers: dict[str, object] = {
        "/user": user,
        "/user/orgs": [{"login": "acme", "id": 9}],
        "/user/repos": [repo],
        "/orgs/acme/repos": [repo],
        "/repos/acme/api": repo,
        "/repos/acme/api/languages": {"Python": 10},
        "/repos/acme/api/issues": [
            issue,
            issue | {"id": 2, "number": 2, "pull_request": {"url": "u"}},
        ],
        "/repos/acme/api/pulls": [issue | {"head": {"ref": "f"}, "base": {"ref": "main"}}],
        "/repos/acme/api/pulls/1": issue | {"additions": 3, "deletions": 1, "changed_files": 2},
        "/repos/acme/api/pulls/1/reviews": [
            {"id": 3, "user": user, "state": "APPROVED", "submitted_at": "2025-01-03T00:00:00Z"}
        ],
        "/repos/acme/api/pulls/1/commits": [commit],
        "/repos/acme/api/issues/comments": [
            {
                "id": 4,
                "user": user,
                "created_at": "2025-01-01T00:00:00Z",
                "issue_url": "https://api.github.com/repos/acme/api/issues/1",
            }
        ],
        "/repos/acme/api/actions/runs": {
            "total_count": 1,
            "workflow_runs": [
                {
                    "id": 6,
                    "name": "CI",
                    "status": "completed",
                    "conclusion": "failure",
                    "created_at": "2025-01-01T00:00:00Z",
                    "updated_at": "2025-01-01T00:10:00Z",
                    "run_started_at": "2025-01-01T00:01:00Z",
                }
            ],
        },
        "/repos/acme/api/commits": [commit],
        "/repos/acme/api/releases": [
            {"id": 7, "tag_name": "v1", "name": "One", "published_at": None, "draft": True}
        ],
    }

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answers[request.url.path])

    since = datetime(2025, 1, 1, 12, tzinfo=UTC)
    async with GitHubClient(API, transport=httpx.MockTransport(answer)) as gh:
        assert (await gh.get_authenticated_user("t")).value.login == "alice"
        assert (await gh.list_user_orgs(token="t")).value[0].type.value == "Organization"
        assert (await gh.list_user_repos(token="t")).value[0].full_name == "acme/api"
        assert (await gh.list_org_repos("acme", token="t")).value[0].github_id == 5
        assert (await gh.get_repository("acme", "api", token="t")).value.name == "api"
        assert (await gh.get_languages("acme", "api", token="t")).value == {"Python": 10}
        issues = (await gh.list_issues("acme", "api", token="t", since=since, state="open")).value
        assert [i.number for i in issues] == [1]  # the pull request is left out
        pulls = (await gh.list_pulls("acme", "api", token="t")).value
        assert pulls[0].head_ref == "f" and pulls[0].additions == 0
        assert (await gh.get_pull("acme", "api", 1, token="t")).value.size == 4
        assert (await gh.list_reviews("acme", "api", 1, token="t")).value[0].pull_number == 1
        assert (await gh.list_pull_commits("acme", "api", 1, token="t")).value[0].sha == "abc"
        comments = (await gh.list_issue_comments("acme", "api", token="t", since=since)).value
        assert comments[0].issue_number == 1
        runs = (await gh.list_workflow_runs("acme", "api", token="t", created=since)).value
        assert runs[0].duration_seconds == 540
        assert (await gh.list_commits("acme", "api", token="t", since=since)).value[
            0
        ].author_login == "alice"
        assert (await gh.list_releases("acme", "api", token=None)).value[0].draft is True
    queries = {r.url.path: dict(r.url.params) for r in seen}
    assert queries["/user/repos"]["affiliation"] == "owner,collaborator,organization_member"
    assert queries["/repos/acme/api/issues"] == {
        "per_page": "100",
        "state": "open",
        "sort": "updated",
        "direction": "desc",
        "since": "2025-01-01T12:00:00Z",
    }
    assert queries["/repos/acme/api/pulls"] == {
        "per_page": "100",
        "state": "all",
        "sort": "updated",
        "direction": "desc",
    }
    assert queries["/repos/acme/api/issues/comments"]["since"] == "2025-01-01T12:00:00Z"
    assert queries["/repos/acme/api/actions/runs"]["created"] == ">=2025-01-01T12:00:00Z"
    assert queries["/repos/acme/api/commits"]["since"] == "2025-01-01T12:00:00Z"
    assert "authorization" not in seen[-1].headers  # token=None: anonymous
    assert all(r.headers["x-github-api-version"] == "2022-11-28" for r in seen)


async def test_naive_times_are_refused() -> None:
    async with GitHubClient(API, transport=Script([httpx.Response(200, json=[])]).transport) as gh:
        with pytest.raises(ValueError, match="naive"):
            await gh.list_issues("a", "b", token="t", since=datetime(2025, 1, 1))


# -- OAuth -------------------------------------------------------------------------------------
WEB = "https://github.com"


async def exchange(answer: httpx.Response) -> tuple[OAuthToken, httpx.Request]:
    script = Script([answer])
    async with GitHubClient(API, transport=script.transport) as gh:
        token = await gh.exchange_code(WEB, "cid", "secret", "code1", "verifier", "https://hub/cb")
    return token, script.requests[0]


async def test_exchange_code() -> None:
    body = {
        "access_token": "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "token_type": "bearer",
        "scope": "repo,read:org",
    }
    token, request = await exchange(httpx.Response(200, json=body))
    assert request.method == "POST" and str(request.url) == WEB + "/login/oauth/access_token"
    assert request.headers["accept"] == "application/json"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {
        "client_id": "cid",
        "client_secret": "secret",
        "code": "code1",
        "code_verifier": "verifier",
        "redirect_uri": "https://hub/cb",
    }
    assert token.access_token == body["access_token"]
    assert token.scopes == ("repo", "read:org")
    assert body["access_token"] not in repr(token)


async def test_exchange_errors_come_with_http_200() -> None:
    refusal = {
        "error": "bad_verification_code",
        "error_description": "The code passed is incorrect or expired.",
        "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
    }
    with pytest.raises(OAuthError) as caught:
        await exchange(httpx.Response(200, json=refusal))
    assert caught.value.error == "bad_verification_code"
    assert caught.value.description == "The code passed is incorrect or expired."
    assert caught.value.documentation_url == refusal["error_uri"]
    with pytest.raises(OAuthError, match="invalid_response"):
        await exchange(httpx.Response(200, text="access_token=x&scope=repo"))


def test_authorize_url_with_pkce() -> None:
    # RFC 7636 appendix B's example verifier and challenge.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    url = httpx.URL(
        authorize_url(
            WEB, client_id="cid", redirect_uri="https://hub/cb", state="s1", code_verifier=verifier
        )
    )
    assert url.path == "/login/oauth/authorize"
    assert url.params["code_challenge"] == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert url.params["code_challenge_method"] == "S256" and url.params["state"] == "s1"
