"""HubDeck's GitHub REST client: the resource methods sync and login use, returning domain
values (``hubdeck.core.github.models``) wrapped in a ``Result``.

Every method takes the credential as ``token`` (keyword-only, None for anonymous access to
public data): the rate-limit pool picks a credential per request, and GitHub ties ETags to the
token, so a resource is best re-fetched with the token that fetched it before (its 304 is free).
Listings ask for 100 items per page, follow ``Link`` to the end or to ``max_pages``, and report
``not_modified`` only when every page was a 304.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from hubdeck.adapters.github import oauth
from hubdeck.adapters.github.rest import Params, RestClient, Result
from hubdeck.core.github.models import (
    Account,
    AccountType,
    Comment,
    Commit,
    Issue,
    PullRequest,
    Release,
    Repository,
    Review,
    WorkflowRun,
)
from hubdeck.core.github.parse import (
    is_pull_request,
    parse_account,
    parse_comment,
    parse_commit,
    parse_issue,
    parse_languages,
    parse_pull,
    parse_release,
    parse_repository,
    parse_review,
    parse_workflow_run,
)


def _segment(value: str) -> str:
    return quote(value, safe="")


def _repo(owner: str, name: str) -> str:
    return f"/repos/{_segment(owner)}/{_segment(name)}"


def iso_utc(moment: datetime) -> str:
    """A time as GitHub's query parameters want it: ``2025-03-03T12:00:00Z``."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime is ambiguous; pass an aware one")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GitHubClient(RestClient):
    # -- accounts ----------------------------------------------------------------------------
    async def get_authenticated_user(self, token: str) -> Result[Account]:
        page = await self.get("/user", token=token)
        return Result(parse_account(page.data), page.not_modified, page.rate_limit)

    async def list_user_orgs(
        self, *, token: str, max_pages: int | None = None
    ) -> Result[list[Account]]:
        # Organization objects of this endpoint carry no "type".
        listed = await self.collect("/user/orgs", token=token, max_pages=max_pages)
        return listed.map(lambda items: [parse_account(i, AccountType.organization) for i in items])

    # -- repositories ------------------------------------------------------------------------
    async def list_user_repos(
        self, *, token: str, max_pages: int | None = None
    ) -> Result[list[Repository]]:
        params = {"affiliation": "owner,collaborator,organization_member", "sort": "full_name"}
        listed = await self.collect("/user/repos", token=token, params=params, max_pages=max_pages)
        return listed.map(lambda items: [parse_repository(i) for i in items])

    async def list_org_repos(
        self, org: str, *, token: str | None, max_pages: int | None = None
    ) -> Result[list[Repository]]:
        listed = await self.collect(
            f"/orgs/{_segment(org)}/repos",
            token=token,
            params={"type": "all", "sort": "full_name"},
            max_pages=max_pages,
        )
        return listed.map(lambda items: [parse_repository(i) for i in items])

    async def get_repository(
        self, owner: str, name: str, *, token: str | None
    ) -> Result[Repository]:
        page = await self.get(_repo(owner, name), token=token)
        return Result(parse_repository(page.data), page.not_modified, page.rate_limit)

    async def get_languages(
        self, owner: str, name: str, *, token: str | None
    ) -> Result[dict[str, int]]:
        page = await self.get(f"{_repo(owner, name)}/languages", token=token)
        return Result(parse_languages(page.data), page.not_modified, page.rate_limit)

    # -- issues and pull requests ------------------------------------------------------------
    async def list_issues(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        state: str = "all",
        max_pages: int | None = None,
    ) -> Result[list[Issue]]:
        """Issues updated at or after ``since``, most recently updated first. GitHub lists
        pull requests here too; they are left out (``list_pulls`` has them)."""
        params: dict[str, str | int] = {"state": state, "sort": "updated", "direction": "desc"}
        if since is not None:
            params["since"] = iso_utc(since)
        listed = await self.collect(
            f"{_repo(owner, name)}/issues", token=token, params=params, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_issue(i) for i in items if not is_pull_request(i)])

    async def list_pulls(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        state: str = "all",
        sort: str = "updated",
        direction: str = "desc",
        max_pages: int | None = None,
    ) -> Result[list[PullRequest]]:
        """Pull requests without size figures (0): only ``get_pull`` has those."""
        params = {"state": state, "sort": sort, "direction": direction}
        listed = await self.collect(
            f"{_repo(owner, name)}/pulls", token=token, params=params, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_pull(i) for i in items])

    async def get_pull(
        self, owner: str, name: str, number: int, *, token: str | None
    ) -> Result[PullRequest]:
        page = await self.get(f"{_repo(owner, name)}/pulls/{number}", token=token)
        return Result(parse_pull(page.data), page.not_modified, page.rate_limit)

    async def list_reviews(
        self, owner: str, name: str, number: int, *, token: str | None, max_pages: int | None = None
    ) -> Result[list[Review]]:
        listed = await self.collect(
            f"{_repo(owner, name)}/pulls/{number}/reviews", token=token, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_review(i, number) for i in items])

    async def list_pull_commits(
        self, owner: str, name: str, number: int, *, token: str | None, max_pages: int | None = None
    ) -> Result[list[Commit]]:
        """A pull request's commits (GitHub lists at most 250); ``parse.first_commit_at`` of
        them is the PR's ``first_commit_at``."""
        listed = await self.collect(
            f"{_repo(owner, name)}/pulls/{number}/commits", token=token, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_commit(i) for i in items])

    async def list_issue_comments(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        max_pages: int | None = None,
    ) -> Result[list[Comment]]:
        """Conversation comments of every issue and pull request of the repository."""
        params: dict[str, str | int] = {}
        if since is not None:
            params["since"] = iso_utc(since)
        listed = await self.collect(
            f"{_repo(owner, name)}/issues/comments",
            token=token,
            params=params,
            max_pages=max_pages,
        )
        return listed.map(lambda items: [parse_comment(i) for i in items])

    # -- code and CI -------------------------------------------------------------------------
    async def list_workflow_runs(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        created: str | datetime | None = None,
        max_pages: int | None = None,
    ) -> Result[list[WorkflowRun]]:
        """Workflow runs, newest first. ``created`` is GitHub's filter syntax (``>=2025-01-01``,
        ``a..b``); a datetime means "created at or after"."""
        params: Params = {}
        if isinstance(created, datetime):
            params = {"created": ">=" + iso_utc(created)}
        elif created is not None:
            params = {"created": created}
        listed = await self.collect(
            f"{_repo(owner, name)}/actions/runs",
            token=token,
            params=params,
            max_pages=max_pages,
            items_key="workflow_runs",
        )
        return listed.map(lambda items: [parse_workflow_run(i) for i in items])

    async def list_commits(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        max_pages: int | None = None,
    ) -> Result[list[Commit]]:
        """Commits of the default branch, newest first."""
        params: Params = {"since": iso_utc(since)} if since is not None else {}
        listed = await self.collect(
            f"{_repo(owner, name)}/commits", token=token, params=params, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_commit(i) for i in items])

    async def list_releases(
        self, owner: str, name: str, *, token: str | None, max_pages: int | None = None
    ) -> Result[list[Release]]:
        listed = await self.collect(
            f"{_repo(owner, name)}/releases", token=token, max_pages=max_pages
        )
        return listed.map(lambda items: [parse_release(i) for i in items])

    # -- login -------------------------------------------------------------------------------
    async def exchange_code(
        self,
        web_url: str,
        client_id: str,
        client_secret: str,
        code: str,
        code_verifier: str,
        redirect_uri: str,
    ) -> oauth.OAuthToken:
        """Trade an OAuth authorization code for a token (see ``oauth.exchange_code``)."""
        return await oauth.exchange_code(
            self.http,
            web_url=web_url,
            client_id=client_id,
            client_secret=client_secret,
            code=code,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )
