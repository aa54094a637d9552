"""GitHub's JSON shapes of issues, pull requests, reviews, comments, commits, runs, releases."""

from __future__ import annotations

from .models import (
    Comment,
    Commit,
    Issue,
    Label,
    Release,
    Repository,
    Review,
    Workflow,
    WorkflowRun,
    iso,
    node_id,
)
from .render import JSON, Renderer


class ItemRenderer(Renderer):
    # -- labels, issues ----------------------------------------------------------------------
    def label(self, repo: Repository, label: Label) -> JSON:
        api, _ = self.repo_urls(repo)
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": f"{api}/labels/{label.name.replace(' ', '%20')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def _labels(self, repo: Repository, names: list[str]) -> list[JSON]:
        found = (repo.label(name) for name in names)
        return [self.label(repo, label) for label in found if label is not None]

    def issue(self, repo: Repository, issue: Issue, *, single: bool = False) -> JSON:
        api, html = self.repo_urls(repo)
        url = f"{api}/issues/{issue.number}"
        kind = "pull" if issue.pull is not None else "issues"
        assignees = [self.user(login) for login in issue.assignees]
        body: JSON = {
            "url": url,
            "repository_url": api,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{html}/{kind}/{issue.number}",
            "id": issue.id,
            "node_id": node_id("PullRequest" if issue.pull else "Issue", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.user),
            "labels": self._labels(repo, issue.labels),
            "state": issue.state,
            "locked": issue.locked,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "comments": len(issue.comments),
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "author_association": self.association(repo, issue.user),
            "active_lock_reason": None,
        }
        if issue.pull is not None:
            body["draft"] = issue.pull.draft
            body["pull_request"] = {
                "url": f"{api}/pulls/{issue.number}",
                "html_url": f"{html}/pull/{issue.number}",
                "diff_url": f"{html}/pull/{issue.number}.diff",
                "patch_url": f"{html}/pull/{issue.number}.patch",
                "merged_at": iso(issue.pull.merged_at),
            }
        body["body"] = issue.body
        if single:
            body["closed_by"] = self.user(issue.closed_by) if issue.closed_by else None
        body |= {
            "reactions": self.reactions(url),
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": issue.state_reason,
        }
        return body

    def comment(self, repo: Repository, comment: Comment) -> JSON:
        api, html = self.repo_urls(repo)
        issue = repo.issues[comment.issue_number]
        kind = "pull" if issue.pull is not None else "issues"
        url = f"{api}/issues/comments/{comment.id}"
        return {
            "url": url,
            "html_url": f"{html}/{kind}/{comment.issue_number}#issuecomment-{comment.id}",
            "issue_url": f"{api}/issues/{comment.issue_number}",
            "id": comment.id,
            "node_id": node_id("IssueComment", comment.id),
            "user": self.user(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": self.association(repo, comment.user),
            "body": comment.body,
            "reactions": self.reactions(url),
            "performed_via_github_app": None,
        }

    # -- pull requests -----------------------------------------------------------------------
    def pull(self, repo: Repository, issue: Issue, *, full: bool = True) -> JSON:
        """A pull request: ``full`` as GET /pulls/{n} and webhooks send it, otherwise the
        "simple" shape of list endpoints and pull_request_review payloads."""
        pull = issue.pull
        assert pull is not None
        api, html = self.repo_urls(repo)
        url = f"{api}/pulls/{issue.number}"
        issue_url = f"{api}/issues/{issue.number}"
        owner = self.owner(repo)
        assignees = [self.user(login) for login in issue.assignees]
        links = {
            "self": url,
            "html": f"{html}/pull/{issue.number}",
            "issue": issue_url,
            "comments": f"{issue_url}/comments",
            "review_comments": f"{url}/comments",
            "review_comment": f"{api}/pulls/comments{{/number}}",
            "commits": f"{url}/commits",
            "statuses": f"{api}/statuses/{pull.head_sha}",
        }
        body: JSON = {
            "url": url,
            "id": pull.id,
            "node_id": node_id("PullRequest", pull.id),
            "html_url": links["html"],
            "diff_url": f"{html}/pull/{issue.number}.diff",
            "patch_url": f"{html}/pull/{issue.number}.patch",
            "issue_url": issue_url,
            "number": issue.number,
            "state": issue.state,
            "locked": issue.locked,
            "title": issue.title,
            "user": self.user(issue.user),
            "body": issue.body,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "merged_at": iso(pull.merged_at),
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "requested_reviewers": [self.user(login) for login in pull.requested_reviewers],
            "requested_teams": [],
            "labels": self._labels(repo, issue.labels),
            "milestone": None,
            "draft": pull.draft,
            "commits_url": links["commits"],
            "review_comments_url": links["review_comments"],
            "review_comment_url": links["review_comment"],
            "comments_url": links["comments"],
            "statuses_url": links["statuses"],
            "head": {
                "label": f"{repo.owner}:{pull.head_ref}",
                "ref": pull.head_ref,
                "sha": pull.head_sha,
                "user": owner,
                "repo": self.repo_hook(repo),
            },
            "base": {
                "label": f"{repo.owner}:{pull.base_ref}",
                "ref": pull.base_ref,
                "sha": pull.base_sha,
                "user": owner,
                "repo": self.repo_hook(repo),
            },
            "_links": {name: {"href": href} for name, href in links.items()},
            "author_association": self.association(repo, issue.user),
            "auto_merge": None,
            "active_lock_reason": None,
        }
        if full:
            merged = pull.merged_at is not None
            body |= {
                "merged": merged,
                "mergeable": None if issue.state == "closed" else True,
                "rebaseable": None if issue.state == "closed" else True,
                "mergeable_state": self._mergeable_state(repo, issue),
                "merged_by": self.user(pull.merged_by) if pull.merged_by else None,
                "comments": len(issue.comments),
                "review_comments": pull.review_comments,
                "maintainer_can_modify": False,
                "commits": len(pull.commits),
                "additions": pull.additions,
                "deletions": pull.deletions,
                "changed_files": pull.changed_files,
            }
        return body

    def _mergeable_state(self, repo: Repository, issue: Issue) -> str:
        pull = issue.pull
        assert pull is not None
        if issue.state == "closed":
            return "unknown"
        if pull.draft:
            return "draft"
        latest: dict[str, str] = {}
        for review in pull.reviews:
            latest[review.user] = review.state
        if "CHANGES_REQUESTED" in latest.values() or "APPROVED" not in latest.values():
            return "blocked"
        runs = [r for r in repo.runs if r.head_sha == pull.head_sha]
        if any(r.conclusion == "failure" for r in runs):
            return "unstable"
        return "clean"

    def review(self, repo: Repository, issue: Issue, review: Review, *, hook: bool = False) -> JSON:
        api, html = self.repo_urls(repo)
        html_url = f"{html}/pull/{issue.number}#pullrequestreview-{review.id}"
        pr_url = f"{api}/pulls/{issue.number}"
        return {
            "id": review.id,
            "node_id": node_id("PullRequestReview", review.id),
            "user": self.user(review.user),
            "body": review.body,
            "state": review.state.lower() if hook else review.state,
            "html_url": html_url,
            "pull_request_url": pr_url,
            "author_association": self.association(repo, review.user),
            "_links": {"html": {"href": html_url}, "pull_request": {"href": pr_url}},
            "submitted_at": iso(review.submitted_at),
            "commit_id": review.commit_id,
        }

    # -- commits -----------------------------------------------------------------------------
    def commit(self, repo: Repository, commit: Commit) -> JSON:
        api, html = self.repo_urls(repo)
        url = f"{api}/commits/{commit.sha}"
        return {
            "sha": commit.sha,
            "node_id": node_id("Commit", int(commit.sha[:8], 16)),
            "commit": {
                "author": {
                    "name": commit.author_name,
                    "email": commit.author_email,
                    "date": iso(commit.date),
                },
                "committer": {
                    "name": commit.committer_name,
                    "email": commit.committer_email,
                    "date": iso(commit.date),
                },
                "message": commit.message,
                "tree": {"sha": commit.tree_sha, "url": f"{api}/git/trees/{commit.tree_sha}"},
                "url": f"{api}/git/commits/{commit.sha}",
                "comment_count": 0,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
            "url": url,
            "html_url": f"{html}/commit/{commit.sha}",
            "comments_url": f"{url}/comments",
            "author": self.user(commit.author) if commit.author else None,
            "committer": self.user(commit.author) if commit.author else None,
            "parents": [
                {"sha": sha, "url": f"{api}/commits/{sha}", "html_url": f"{html}/commit/{sha}"}
                for sha in commit.parents
            ],
        }

    def push_commit(self, repo: Repository, commit: Commit) -> JSON:
        """A commit as push payloads list it (common/commit.schema.json)."""
        _, html = self.repo_urls(repo)
        author: JSON = {"name": commit.author_name, "email": commit.author_email}
        if commit.author:
            author["username"] = commit.author
        return {
            "id": commit.sha,
            "tree_id": commit.tree_sha,
            "distinct": True,
            "message": commit.message,
            "timestamp": iso(commit.date),
            "url": f"{html}/commit/{commit.sha}",
            "author": author,
            "committer": {"name": commit.committer_name, "email": commit.committer_email},
            "added": [],
            "removed": [],
            "modified": list(commit.files),
        }

    def find_commit(self, repo: Repository, sha: str) -> Commit | None:
        for commit in reversed(repo.commits):
            if commit.sha == sha:
                return commit
        for issue in repo.issues.values():
            if issue.pull is not None:
                for commit in issue.pull.commits:
                    if commit.sha == sha:
                        return commit
        return None

    # -- actions -----------------------------------------------------------------------------
    def workflow(self, repo: Repository, workflow: Workflow) -> JSON:
        api, html = self.repo_urls(repo)
        return {
            "id": workflow.id,
            "node_id": node_id("Workflow", workflow.id),
            "name": workflow.name,
            "path": workflow.path,
            "state": "active",
            "created_at": iso(workflow.created_at),
            "updated_at": iso(workflow.updated_at),
            "url": f"{api}/actions/workflows/{workflow.id}",
            "html_url": f"{html}/blob/{repo.default_branch}/{workflow.path}",
            "badge_url": f"{html}/workflows/{workflow.name}/badge.svg",
        }

    def run(self, repo: Repository, run: WorkflowRun) -> JSON:
        api, html = self.repo_urls(repo)
        url = f"{api}/actions/runs/{run.id}"
        workflow = next(w for w in repo.workflows if w.id == run.workflow_id)
        commit = self.find_commit(repo, run.head_sha)
        head_commit = None
        if commit is not None:
            head_commit = {
                "id": commit.sha,
                "tree_id": commit.tree_sha,
                "message": commit.message,
                "timestamp": iso(commit.date),
                "author": {"name": commit.author_name, "email": commit.author_email},
                "committer": {"name": commit.committer_name, "email": commit.committer_email},
            }
        pulls = []
        if run.pr_number is not None and run.pr_number in repo.issues:
            issue = repo.issues[run.pr_number]
            if issue.pull is not None and issue.state == "open":
                ref = {"id": repo.id, "url": api, "name": repo.name}
                pulls.append(
                    {
                        "url": f"{api}/pulls/{issue.number}",
                        "id": issue.pull.id,
                        "number": issue.number,
                        "head": {"ref": issue.pull.head_ref, "sha": run.head_sha, "repo": ref},
                        "base": {
                            "ref": issue.pull.base_ref,
                            "sha": issue.pull.base_sha,
                            "repo": ref,
                        },
                    }
                )
        return {
            "id": run.id,
            "name": workflow.name,
            "node_id": node_id("WorkflowRun", run.id),
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": workflow.path,
            "display_title": run.display_title,
            "run_number": run.run_number,
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": run.workflow_id,
            "check_suite_id": run.check_suite_id,
            "check_suite_node_id": node_id("CheckSuite", run.check_suite_id),
            "url": url,
            "html_url": f"{html}/actions/runs/{run.id}",
            "pull_requests": pulls,
            "created_at": iso(run.created_at),
            "updated_at": iso(run.updated_at),
            "actor": self.user(run.actor),
            "run_attempt": run.run_attempt,
            "referenced_workflows": [],
            "run_started_at": iso(run.run_started_at),
            "triggering_actor": self.user(run.actor),
            "jobs_url": f"{url}/jobs",
            "logs_url": f"{url}/logs",
            "check_suite_url": f"{api}/check-suites/{run.check_suite_id}",
            "artifacts_url": f"{url}/artifacts",
            "cancel_url": f"{url}/cancel",
            "rerun_url": f"{url}/rerun",
            "previous_attempt_url": None,
            "workflow_url": f"{api}/actions/workflows/{run.workflow_id}",
            "head_commit": head_commit,
            "repository": self.repo_lite(repo),
            "head_repository": self.repo_lite(repo),
        }

    # -- releases ----------------------------------------------------------------------------
    def release(self, repo: Repository, release: Release) -> JSON:
        api, html = self.repo_urls(repo)
        url = f"{api}/releases/{release.id}"
        return {
            "url": url,
            "assets_url": f"{url}/assets",
            "upload_url": f"{self.api}/uploads/repos/{repo.full_name}/releases/{release.id}"
            "/assets{?name,label}",
            "html_url": f"{html}/releases/tag/{release.tag_name}",
            "id": release.id,
            "author": self.user(release.author),
            "node_id": node_id("Release", release.id),
            "tag_name": release.tag_name,
            "target_commitish": release.target_commitish,
            "name": release.name,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "created_at": iso(release.created_at),
            "published_at": iso(release.published_at),
            "assets": [],
            "tarball_url": f"{api}/tarball/{release.tag_name}",
            "zipball_url": f"{api}/zipball/{release.tag_name}",
            "body": release.body,
        }
