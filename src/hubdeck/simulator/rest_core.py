"""REST routes: root, rate limit, users, the organization and repositories."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .api import ApiContext, Reply, get, not_found
from .models import Repository, iso

REPO_SORTS: dict[str, Callable[[Repository], Any]] = {
    "created": lambda r: (r.created_at, r.id),
    "updated": lambda r: (r.updated_at, r.id),
    "pushed": lambda r: (r.pushed_at, r.id),
    "full_name": lambda r: r.full_name.lower(),
}


# GET / lists these templates under the API's base URL (the web one for HTML pages).
ROOT_LINKS = {
    "current_user_url": ("api", "/user"),
    "current_user_authorizations_html_url": (
        "web",
        "/settings/connections/applications{/client_id}",
    ),
    "authorizations_url": ("api", "/authorizations"),
    "code_search_url": ("api", "/search/code?q={query}{&page,per_page,sort,order}"),
    "commit_search_url": ("api", "/search/commits?q={query}{&page,per_page,sort,order}"),
    "emails_url": ("api", "/user/emails"),
    "emojis_url": ("api", "/emojis"),
    "events_url": ("api", "/events"),
    "feeds_url": ("api", "/feeds"),
    "followers_url": ("api", "/user/followers"),
    "following_url": ("api", "/user/following{/target}"),
    "gists_url": ("api", "/gists{/gist_id}"),
    "hub_url": ("api", "/hub"),
    "issue_search_url": ("api", "/search/issues?q={query}{&page,per_page,sort,order}"),
    "issues_url": ("api", "/issues"),
    "keys_url": ("api", "/user/keys"),
    "label_search_url": (
        "api",
        "/search/labels?q={query}&repository_id={repository_id}{&page,per_page}",
    ),
    "notifications_url": ("api", "/notifications"),
    "organization_url": ("api", "/orgs/{org}"),
    "organization_repositories_url": ("api", "/orgs/{org}/repos{?type,page,per_page,sort}"),
    "organization_teams_url": ("api", "/orgs/{org}/teams"),
    "public_gists_url": ("api", "/gists/public"),
    "rate_limit_url": ("api", "/rate_limit"),
    "repository_url": ("api", "/repos/{owner}/{repo}"),
    "repository_search_url": ("api", "/search/repositories?q={query}{&page,per_page,sort,order}"),
    "current_user_repositories_url": ("api", "/user/repos{?type,page,per_page,sort}"),
    "starred_url": ("api", "/user/starred{/owner}{/repo}"),
    "starred_gists_url": ("api", "/gists/starred"),
    "topic_search_url": ("api", "/search/topics?q={query}{&page,per_page}"),
    "user_url": ("api", "/users/{user}"),
    "user_organizations_url": ("api", "/user/orgs"),
    "user_repositories_url": ("api", "/users/{user}/repos{?type,page,per_page,sort}"),
    "user_search_url": ("api", "/search/users?q={query}{&page,per_page,sort,order}"),
}


def root(ctx: ApiContext) -> Reply:
    bases = {"api": ctx.sim.render.api, "web": ctx.sim.render.web}
    return Reply({key: bases[base] + path for key, (base, path) in ROOT_LINKS.items()})


def rate_limit(ctx: ApiContext) -> Reply:
    request = ctx.request
    key = (
        ctx.token.rate_key
        if ctx.token
        else f"ip:{request.client.host if request.client else 'unknown'}"
    )
    return Reply(ctx.sim.limiter.overview(key, authenticated=ctx.token is not None))


def authenticated_user(ctx: ApiContext) -> Reply:
    viewer = ctx.require_viewer(
        "https://docs.github.com/rest/users/users#get-the-authenticated-user"
    )
    return Reply(ctx.sim.render.user_full(viewer, private=True))


def user(ctx: ApiContext) -> Reply:
    login = ctx.param("login")
    found = ctx.sim.store.user(login)
    if found is not None:
        return Reply(ctx.sim.render.user_full(found))
    org = ctx.sim.store.org
    if login.lower() == org.login.lower():
        body = ctx.sim.render.org_as_user() | {
            "name": org.name,
            "company": None,
            "blog": org.blog,
            "location": org.location,
            "email": None,
            "hireable": None,
            "bio": org.description,
            "twitter_username": None,
            "public_repos": sum(1 for r in ctx.sim.store.org_repos() if not r.private),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(org.created_at),
            "updated_at": iso(org.created_at),
        }
        return Reply(body)
    raise not_found()


def user_orgs(ctx: ApiContext) -> Reply:
    viewer = ctx.require_viewer()
    orgs = [ctx.sim.render.org()] if viewer.member else []
    return Reply(ctx.paginate(orgs))


def _sorted_repos(ctx: ApiContext, repos: list[Repository], default_sort: str) -> list[Repository]:
    sort = ctx.choice("sort", list(REPO_SORTS), default_sort, "Repository")
    direction = ctx.choice(
        "direction", ["asc", "desc"], "asc" if sort == "full_name" else "desc", "Repository"
    )
    return sorted(repos, key=REPO_SORTS[sort], reverse=direction == "desc")


def user_repos(ctx: ApiContext) -> Reply:
    viewer = ctx.require_viewer()
    store = ctx.sim.store
    visibility = ctx.choice("visibility", ["all", "public", "private"], "all", "Repository")
    kind = ctx.choice("type", ["all", "owner", "public", "private", "member"], "all", "Repository")
    affiliation = set(
        (ctx.query("affiliation") or "owner,collaborator,organization_member").split(",")
    )
    repos = []
    for repo in store.repos.values():
        own = repo.owner.lower() == viewer.login.lower()
        via_org = repo.owner_is_org and viewer.member
        if not (
            (own and "owner" in affiliation) or (via_org and "organization_member" in affiliation)
        ):
            continue
        if not store.can_see(repo, viewer.login, ctx.scopes):
            continue
        if (visibility == "public" or kind == "public") and repo.private:
            continue
        if (visibility == "private" or kind == "private") and not repo.private:
            continue
        if (kind == "owner" and not own) or (kind == "member" and own):
            continue
        repos.append(repo)
    page = ctx.paginate(_sorted_repos(ctx, repos, "full_name"))
    return Reply([ctx.sim.render.repo(r, viewer.login) for r in page])


def _org(ctx: ApiContext) -> None:
    if ctx.param("org").lower() != ctx.sim.store.org.login.lower():
        raise not_found()


def org(ctx: ApiContext) -> Reply:
    _org(ctx)
    return Reply(ctx.sim.render.org_full(member=ctx.sim.store.is_member(ctx.login)))


def org_repos(ctx: ApiContext) -> Reply:
    _org(ctx)
    store = ctx.sim.store
    kind = ctx.choice(
        "type", ["all", "public", "private", "forks", "sources", "member"], "all", "Repository"
    )
    repos = [r for r in store.org_repos() if store.can_see(r, ctx.login, ctx.scopes)]
    if kind == "public":
        repos = [r for r in repos if not r.private]
    elif kind == "private":
        repos = [r for r in repos if r.private]
    elif kind == "forks":
        repos = [r for r in repos if r.fork_of is not None]
    elif kind == "sources":
        repos = [r for r in repos if r.fork_of is None]
    page = ctx.paginate(
        _sorted_repos(ctx, repos, "created"), f"/organizations/{store.org.id}/repos"
    )
    return Reply([ctx.sim.render.repo(r, ctx.login) for r in page])


def org_members(ctx: ApiContext) -> Reply:
    _org(ctx)
    store = ctx.sim.store
    role = ctx.choice("role", ["all", "admin", "member"], "all", "Member")
    members = store.members()
    if role == "admin":
        members = members[:1]
    elif role == "member":
        members = members[1:]
    page = ctx.paginate(members, f"/organizations/{store.org.id}/members")
    return Reply([ctx.sim.render.user(m) for m in page])


def repository(ctx: ApiContext) -> Reply:
    return Reply(ctx.sim.render.repo(ctx.repo(), ctx.login, full=True))


def languages(ctx: ApiContext) -> Reply:
    return Reply(dict(ctx.repo().languages))


def topics(ctx: ApiContext) -> Reply:
    return Reply({"names": list(ctx.repo().topics)})


def stargazers(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    page = ctx.paginate(repo.stars, f"/repositories/{repo.id}/stargazers")
    render = ctx.sim.render
    if "application/vnd.github.star+json" in ctx.request.headers.get("accept", ""):
        return Reply([{"starred_at": iso(s.starred_at), "user": render.user(s.user)} for s in page])
    return Reply([render.user(s.user) for s in page])


async def avatar(request: Request) -> Response:
    """A generated avatar, so that dashboards show faces without reaching the internet."""
    ident = int(request.path_params["ident"])
    sim = request.app.state.sim
    login = next((u.login for u in sim.store.users.values() if u.id == ident), sim.store.org.login)
    hue = (ident * 47) % 360
    initials = html.escape(login[:2].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<rect width="96" height="96" fill="hsl({hue},55%,55%)"/>'
        '<text x="48" y="60" font-family="sans-serif" font-size="38" fill="#fff" '
        f'text-anchor="middle">{initials}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"})


def routes() -> list[BaseRoute]:
    return [
        get("/", root),
        get("/rate_limit", rate_limit, free=True),
        get("/user", authenticated_user),
        get("/user/orgs", user_orgs),
        get("/user/repos", user_repos),
        get("/users/{login}", user),
        get("/orgs/{org}", org),
        get("/orgs/{org}/repos", org_repos),
        get("/orgs/{org}/members", org_members),
        get("/repos/{owner}/{repo}", repository),
        get("/repos/{owner}/{repo}/languages", languages),
        get("/repos/{owner}/{repo}/topics", topics),
        get("/repos/{owner}/{repo}/stargazers", stargazers),
        Route("/avatars/u/{ident:int}", avatar, methods=["GET"]),
    ]
