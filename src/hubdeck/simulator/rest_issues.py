"""REST routes: issues, issue comments, pull requests, reviews, review requests, PR commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.routing import BaseRoute

from .api import ApiContext, Reply, get, not_found
from .models import Issue, Repository

ISSUE_SORTS: dict[str, Callable[[Issue], Any]] = {
    "created": lambda i: (i.created_at, i.number),
    "updated": lambda i: (i.updated_at, i.number),
    "comments": lambda i: (len(i.comments), i.number),
}
PULL_SORTS: dict[str, Callable[[Issue], Any]] = {
    "created": lambda i: (i.created_at, i.number),
    "updated": lambda i: (i.updated_at, i.number),
    "popularity": lambda i: (len(i.comments), i.number),
    "long-running": lambda i: (i.updated_at - i.created_at, i.number),
}


def _issue(ctx: ApiContext, repo: Repository) -> Issue:
    issue = repo.issues.get(int(ctx.request.path_params["number"]))
    if issue is None:
        raise not_found()
    return issue


def _pull(ctx: ApiContext, repo: Repository) -> Issue:
    issue = _issue(ctx, repo)
    if issue.pull is None:
        raise not_found()
    return issue


def list_issues(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    state = ctx.choice("state", ["open", "closed", "all"], "open", "Issue")
    sort = ctx.choice("sort", list(ISSUE_SORTS), "created", "Issue")
    direction = ctx.choice("direction", ["asc", "desc"], "desc", "Issue")
    since = ctx.since()
    labels = [name for name in (ctx.query("labels") or "").split(",") if name]
    creator, assignee = ctx.query("creator"), ctx.query("assignee")
    items = []
    for issue in repo.issues.values():
        if state != "all" and issue.state != state:
            continue
        if since is not None and issue.updated_at < since:
            continue
        if any(label not in issue.labels for label in labels):
            continue
        if creator is not None and issue.user.lower() != creator.lower():
            continue
        if assignee == "none" and issue.assignees:
            continue
        if assignee == "*" and not issue.assignees:
            continue
        if assignee not in (None, "none", "*") and assignee not in issue.assignees:
            continue
        items.append(issue)
    items.sort(key=ISSUE_SORTS[sort], reverse=direction == "desc")
    page = ctx.paginate(items, f"/repositories/{repo.id}/issues")
    return Reply([ctx.sim.render.issue(repo, i) for i in page])


def get_issue(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    return Reply(ctx.sim.render.issue(repo, _issue(ctx, repo), single=True))


def issue_comments(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    issue = _issue(ctx, repo)
    since = ctx.since(resource="IssueComment")
    comments = [c for c in issue.comments if since is None or c.updated_at >= since]
    page = ctx.paginate(comments, f"/repositories/{repo.id}/issues/{issue.number}/comments")
    return Reply([ctx.sim.render.comment(repo, c) for c in page])


def repo_comments(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    sort = ctx.choice("sort", ["created", "updated"], "created", "IssueComment")
    direction = ctx.choice("direction", ["asc", "desc"], "asc", "IssueComment")
    since = ctx.since(resource="IssueComment")
    comments = [
        c
        for i in repo.issues.values()
        for c in i.comments
        if since is None or c.updated_at >= since
    ]
    comments.sort(
        key=lambda c: (c.created_at if sort == "created" else c.updated_at, c.id),
        reverse=direction == "desc",
    )
    page = ctx.paginate(comments, f"/repositories/{repo.id}/issues/comments")
    return Reply([ctx.sim.render.comment(repo, c) for c in page])


def list_pulls(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    state = ctx.choice("state", ["open", "closed", "all"], "open", "PullRequest")
    sort = ctx.choice("sort", list(PULL_SORTS), "created", "PullRequest")
    default_direction = "desc" if sort == "created" or ctx.query("sort") is None else "asc"
    direction = ctx.choice("direction", ["asc", "desc"], default_direction, "PullRequest")
    head, base = ctx.query("head"), ctx.query("base")
    items = []
    for issue in ctx.sim.store.pulls(repo):
        pull = issue.pull
        assert pull is not None
        if state != "all" and issue.state != state:
            continue
        if head is not None and head.split(":")[-1] != pull.head_ref:
            continue
        if base is not None and base != pull.base_ref:
            continue
        items.append(issue)
    items.sort(key=PULL_SORTS[sort], reverse=direction == "desc")
    page = ctx.paginate(items, f"/repositories/{repo.id}/pulls")
    return Reply([ctx.sim.render.pull(repo, i, full=False) for i in page])


def get_pull(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    return Reply(ctx.sim.render.pull(repo, _pull(ctx, repo)))


def pull_reviews(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    issue = _pull(ctx, repo)
    assert issue.pull is not None
    page = ctx.paginate(issue.pull.reviews, f"/repositories/{repo.id}/pulls/{issue.number}/reviews")
    return Reply([ctx.sim.render.review(repo, issue, r) for r in page])


def requested_reviewers(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    issue = _pull(ctx, repo)
    assert issue.pull is not None
    users = [ctx.sim.render.user(login) for login in issue.pull.requested_reviewers]
    return Reply({"users": users, "teams": []})


def pull_commits(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    issue = _pull(ctx, repo)
    assert issue.pull is not None
    # GitHub lists at most 250 commits of a pull request.
    commits = issue.pull.commits[:250]
    page = ctx.paginate(commits, f"/repositories/{repo.id}/pulls/{issue.number}/commits")
    return Reply([ctx.sim.render.commit(repo, c) for c in page])


def routes() -> list[BaseRoute]:
    prefix = "/repos/{owner}/{repo}"
    return [
        get(f"{prefix}/issues", list_issues),
        get(f"{prefix}/issues/comments", repo_comments),
        get(f"{prefix}/issues/{{number:int}}", get_issue),
        get(f"{prefix}/issues/{{number:int}}/comments", issue_comments),
        get(f"{prefix}/pulls", list_pulls),
        get(f"{prefix}/pulls/{{number:int}}", get_pull),
        get(f"{prefix}/pulls/{{number:int}}/reviews", pull_reviews),
        get(f"{prefix}/pulls/{{number:int}}/requested_reviewers", requested_reviewers),
        get(f"{prefix}/pulls/{{number:int}}/commits", pull_commits),
    ]
