"""Credentials, visibility of private repositories, and GitHub's error bodies."""

from __future__ import annotations

import httpx

from .conftest import auth, issue_token

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
BAD_CREDENTIALS = {
    "message": "Bad credentials",
    "documentation_url": "https://docs.github.com/rest",
}


async def test_bearer_and_token_schemes_both_work(client: httpx.AsyncClient, token: str) -> None:
    for header in (f"Bearer {token}", f"token {token}"):
        response = await client.get("/user", headers={"Authorization": header})
        assert response.status_code == 200 and response.json()["login"] == "alice"


async def test_unknown_and_revoked_tokens_get_401(client: httpx.AsyncClient, token: str) -> None:
    unknown = await client.get("/user", headers=auth("ghp_not_a_token"))
    assert unknown.status_code == 401 and unknown.json() == BAD_CREDENTIALS
    assert (
        await client.get("/repos/acme/api", headers={"Authorization": "Basic eDp5"})
    ).status_code == 401

    assert (await client.get("/user", headers=auth(token))).status_code == 200
    revoked = await client.post(f"/_simulator/tokens/{token}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    after = await client.get("/repos/acme/api", headers=auth(token))
    assert after.status_code == 401 and after.json() == BAD_CREDENTIALS
    assert (await client.post("/_simulator/tokens/nope/revoke")).status_code == 404


async def test_the_authenticated_user_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/user")
    assert response.status_code == 401
    assert response.json()["message"] == "Requires authentication"


async def test_private_repositories_are_404_to_outsiders(
    client: httpx.AsyncClient, token: str
) -> None:
    private = "/repos/acme/infra"  # with repos=4 and private_repos=1, the last one is private
    member = await client.get(private, headers=auth(token))
    assert member.status_code == 200 and member.json()["private"] is True
    assert member.json()["visibility"] == "private"

    outsider = await issue_token(client, "zoe-dev")
    for headers in (auth(outsider), {}):
        for path in (private, f"{private}/issues", f"{private}/pulls/1", f"{private}/actions/runs"):
            response = await client.get(path, headers=headers)
            assert response.status_code == 404 and response.json() == NOT_FOUND, path

    no_repo_scope = await issue_token(client, "alice", scopes=["read:org"])
    assert (await client.get(private, headers=auth(no_repo_scope))).status_code == 404

    listed = await client.get("/orgs/acme/repos", headers=auth(outsider))
    assert "infra" not in {r["name"] for r in listed.json()}
    assert "infra" in {
        r["name"] for r in (await client.get("/orgs/acme/repos", headers=auth(token))).json()
    }


async def test_membership_shapes_org_and_user_views(client: httpx.AsyncClient, token: str) -> None:
    outsider = await issue_token(client, "zoe-dev")
    assert (await client.get("/user/orgs", headers=auth(token))).json()[0]["login"] == "acme"
    assert (await client.get("/user/orgs", headers=auth(outsider))).json() == []
    member_view = (await client.get("/orgs/acme", headers=auth(token))).json()
    outside_view = (await client.get("/orgs/acme", headers=auth(outsider))).json()
    assert "total_private_repos" in member_view and "total_private_repos" not in outside_view
    repo = (await client.get("/repos/acme/api", headers=auth(outsider))).json()
    assert repo["permissions"] == {
        "admin": False,
        "maintain": False,
        "push": False,
        "triage": False,
        "pull": True,
    }
    members = (await client.get("/orgs/acme/members", headers=auth(token))).json()
    assert "alice" in {m["login"] for m in members} and "zoe-dev" not in {
        m["login"] for m in members
    }


async def test_unknown_resources_and_bad_parameters(client: httpx.AsyncClient, token: str) -> None:
    for path in (
        "/repos/acme/nope",
        "/repos/acme/api/issues/99999",
        "/orgs/other",
        "/users/nobody",
        "/no/such/route",
    ):
        response = await client.get(path, headers=auth(token))
        assert response.status_code == 404 and response.json() == NOT_FOUND, path
    assert (await client.post("/repos/acme/api", headers=auth(token))).status_code == 404
    invalid = await client.get("/repos/acme/api/pulls?state=merged", headers=auth(token))
    assert invalid.status_code == 422
    body = invalid.json()
    assert body["message"] == "Validation Failed"
    assert body["errors"] == [
        {"value": "merged", "resource": "PullRequest", "field": "state", "code": "invalid"}
    ]
    since = await client.get("/repos/acme/api/issues?since=yesterday", headers=auth(token))
    assert since.status_code == 422 and since.json()["errors"][0]["field"] == "since"


async def test_id_based_paths_are_aliases(client: httpx.AsyncClient, token: str) -> None:
    repo = (await client.get("/repos/acme/api", headers=auth(token))).json()
    by_id = await client.get(f"/repositories/{repo['id']}", headers=auth(token))
    assert by_id.json()["full_name"] == "acme/api"
    org = (await client.get("/orgs/acme", headers=auth(token))).json()
    assert (await client.get(f"/organizations/{org['id']}", headers=auth(token))).json()[
        "login"
    ] == "acme"
    alice = (await client.get("/user", headers=auth(token))).json()
    assert (await client.get(f"/user/{alice['id']}", headers=auth(token))).json()[
        "login"
    ] == "alice"
    assert (await client.get("/repositories/1", headers=auth(token))).status_code == 404


async def test_bots_are_users_of_type_bot(client: httpx.AsyncClient, token: str) -> None:
    bot = (await client.get("/users/dependabot[bot]", headers=auth(token))).json()
    assert bot["type"] == "Bot" and bot["login"] == "dependabot[bot]"
    assert (await client.get("/users/alice", headers=auth(token))).json()["type"] == "User"
