"""REST routes: workflow runs, commits and releases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.routing import BaseRoute

from .api import DOCS, ApiContext, ApiError, Reply, get, not_found, parse_time, validation_failed
from .models import Commit, Repository, WorkflowRun

RUN_STATUSES = ("completed", "in_progress", "queued", "requested", "waiting", "pending")
RUN_CONCLUSIONS = (
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "skipped",
    "stale",
    "success",
    "timed_out",
)


def _day_or_time(value: str, *, end: bool) -> datetime | None:
    """A bound of GitHub's ``created`` search syntax: a date (whole day) or a timestamp."""
    if len(value) == 10:
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            return None
        return day + timedelta(days=1) - timedelta(seconds=1) if end else day
    return parse_time(value)


def created_range(value: str) -> tuple[datetime | None, datetime | None] | None:
    """``created`` filter: ``2024-01-01``, ``>=2024-01-01``, ``<2024-02-01T10:00:00Z``, ``a..b``."""
    if ".." in value:
        low, _, high = value.partition("..")
        start = None if low in ("", "*") else _day_or_time(low, end=False)
        stop = None if high in ("", "*") else _day_or_time(high, end=True)
        if (low not in ("", "*") and start is None) or (high not in ("", "*") and stop is None):
            return None
        return start, stop
    for prefix in (">=", "<=", ">", "<"):
        if value.startswith(prefix):
            bound = _day_or_time(value[len(prefix) :], end=prefix in ("<=", ">"))
            if bound is None:
                return None
            if prefix == ">=":
                return bound, None
            if prefix == ">":
                return bound + timedelta(seconds=1), None
            if prefix == "<=":
                return None, bound
            return None, bound - timedelta(seconds=1)
    start, stop = _day_or_time(value, end=False), _day_or_time(value, end=True)
    if start is None or stop is None:
        return None
    return start, stop


def _run_matches(
    ctx: ApiContext, run: WorkflowRun, window: tuple[datetime | None, datetime | None]
) -> bool:
    query = ctx.request.query_params
    if "branch" in query and run.head_branch != query["branch"]:
        return False
    if "event" in query and run.event != query["event"]:
        return False
    if "actor" in query and run.actor.lower() != query["actor"].lower():
        return False
    if "head_sha" in query and run.head_sha != query["head_sha"]:
        return False
    status = query.get("status")
    if status is not None:
        if status in RUN_CONCLUSIONS and run.conclusion != status:
            return False
        if (
            status in RUN_STATUSES
            and run.status != status
            and not (status == "pending" and run.status == "queued")
        ):
            return False
    start, stop = window
    if start is not None and run.created_at < start:
        return False
    return not (stop is not None and run.created_at > stop)


def list_runs(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    status = ctx.query("status")
    if status is not None and status not in RUN_STATUSES + RUN_CONCLUSIONS:
        raise validation_failed("WorkflowRun", "status", status)
    created = ctx.query("created")
    window: tuple[datetime | None, datetime | None] = (None, None)
    if created is not None:
        parsed = created_range(created)
        if parsed is None:
            raise validation_failed("WorkflowRun", "created", created)
        window = parsed
    runs = [r for r in repo.runs if _run_matches(ctx, r, window)]
    runs.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    page = ctx.paginate(runs, f"/repositories/{repo.id}/actions/runs")
    render = ctx.sim.render
    pulls = ctx.query("exclude_pull_requests") != "true"
    rendered = []
    for run in page:
        body = render.run(repo, run)
        if not pulls:
            body["pull_requests"] = []
        rendered.append(body)
    return Reply({"total_count": len(runs), "workflow_runs": rendered})


def get_run(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    run_id = int(ctx.request.path_params["run_id"])
    run = next((r for r in repo.runs if r.id == run_id), None)
    if run is None:
        raise not_found()
    return Reply(ctx.sim.render.run(repo, run))


def list_workflows(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    page = ctx.paginate(repo.workflows, f"/repositories/{repo.id}/actions/workflows")
    return Reply(
        {
            "total_count": len(repo.workflows),
            "workflows": [ctx.sim.render.workflow(repo, w) for w in page],
        }
    )


def _history(ctx: ApiContext, repo: Repository, ref: str | None) -> list[Commit]:
    """Commits reachable from ``ref`` (a branch or a SHA), newest first."""
    if ref is None or ref == repo.default_branch:
        return list(reversed(repo.commits))
    for issue in ctx.sim.store.pulls(repo):
        pull = issue.pull
        assert pull is not None
        if ref in (pull.head_ref, pull.head_sha):
            base = [c for c in repo.commits if c.date <= issue.created_at]
            return list(reversed(base + pull.commits))
    for position, commit in enumerate(repo.commits):
        if commit.sha.startswith(ref) and len(ref) >= 7:
            return list(reversed(repo.commits[: position + 1]))
    raise not_found()


def list_commits(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    since, until = ctx.since(resource="Commit"), ctx.since("until", resource="Commit")
    author = ctx.query("author")
    commits = []
    for commit in _history(ctx, repo, ctx.query("sha")):
        if since is not None and commit.date < since:
            continue
        if until is not None and commit.date > until:
            continue
        if author is not None and author.lower() not in (
            (commit.author or "").lower(),
            commit.author_email.lower(),
        ):
            continue
        commits.append(commit)
    if not repo.commits:
        raise ApiError(409, {"message": "Git Repository is empty.", "documentation_url": DOCS})
    page = ctx.paginate(commits, f"/repositories/{repo.id}/commits")
    return Reply([ctx.sim.render.commit(repo, c) for c in page])


def get_commit(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    ref = ctx.param("ref")
    commit = ctx.sim.render.find_commit(repo, ref)
    if commit is None:
        commit = next((c for c in repo.commits if len(ref) >= 7 and c.sha.startswith(ref)), None)
    if commit is None:
        raise validation_failed("Commit", "sha", ref)
    body = ctx.sim.render.commit(repo, commit)
    per_file_add = commit.additions // max(len(commit.files), 1)
    per_file_del = commit.deletions // max(len(commit.files), 1)
    body["stats"] = {
        "total": commit.additions + commit.deletions,
        "additions": commit.additions,
        "deletions": commit.deletions,
    }
    body["files"] = [
        {
            "sha": commit.tree_sha,
            "filename": name,
            "status": "modified",
            "additions": per_file_add,
            "deletions": per_file_del,
            "changes": per_file_add + per_file_del,
        }
        for name in commit.files
    ]
    return Reply(body)


def _weekly(ctx: ApiContext, repo: Repository) -> tuple[datetime, list[list[int]]]:
    """Commits on the default branch per week (starting Sundays, UTC) and weekday, last 52 weeks."""
    now = ctx.sim.clock.now()
    sunday = (now - timedelta(days=(now.weekday() + 1) % 7)).replace(hour=0, minute=0, second=0)
    start = sunday - timedelta(weeks=51)
    weeks = [[0] * 7 for _ in range(52)]
    for commit in repo.commits:
        if start <= commit.date <= now:
            weeks[(commit.date - start).days // 7][(commit.date.weekday() + 1) % 7] += 1
    return start, weeks


def commit_activity(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    start, weeks = _weekly(ctx, repo)
    return Reply(
        [
            {
                "days": days,
                "total": sum(days),
                "week": int((start + timedelta(weeks=n)).timestamp()),
            }
            for n, days in enumerate(weeks)
        ]
    )


def participation(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    _, weeks = _weekly(ctx, repo)
    return Reply({"all": [sum(days) for days in weeks], "owner": [0] * 52})


def list_releases(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    releases = sorted(repo.releases, key=lambda r: (r.created_at, r.id), reverse=True)
    page = ctx.paginate(releases, f"/repositories/{repo.id}/releases")
    return Reply([ctx.sim.render.release(repo, r) for r in page])


def latest_release(ctx: ApiContext) -> Reply:
    repo = ctx.repo()
    published = [r for r in repo.releases if not r.draft and not r.prerelease and r.published_at]
    if not published:
        raise not_found()
    return Reply(ctx.sim.render.release(repo, max(published, key=lambda r: (r.created_at, r.id))))


def routes() -> list[BaseRoute]:
    prefix = "/repos/{owner}/{repo}"
    return [
        get(f"{prefix}/actions/runs", list_runs),
        get(f"{prefix}/actions/runs/{{run_id:int}}", get_run),
        get(f"{prefix}/actions/workflows", list_workflows),
        get(f"{prefix}/commits", list_commits),
        get(f"{prefix}/commits/{{ref}}", get_commit),
        get(f"{prefix}/stats/commit_activity", commit_activity),
        get(f"{prefix}/stats/participation", participation),
        get(f"{prefix}/releases", list_releases),
        get(f"{prefix}/releases/latest", latest_release),
    ]
