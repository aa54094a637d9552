"""Webhook payload builders, in the shapes of GitHub's examples and JSON Schemas
(octokit/webhooks: ``<event>/<action>.schema.json``).

The simulator models one organization webhook, so every payload of an organization
repository carries ``organization``; none carries ``installation`` (that key only appears for
GitHub App deliveries).
"""

from __future__ import annotations

from datetime import datetime

from .models import Comment, Commit, Issue, Release, Repository, Review, Star, WorkflowRun, iso
from .render import JSON
from .render_items import ItemRenderer

ZEN = [
    "Anything added dilutes everything else.",
    "Design for failure.",
    "Keep it logically awesome.",
    "Mind your words, they are important.",
    "Practicality beats purity.",
    "Speak like a human.",
]

# The app a simulated installation belongs to (installation events).
APP_ID = 31337
APP_SLUG = "hubdeck"
INSTALLATION_ID = 4242424


class Payloads:
    def __init__(self, render: ItemRenderer) -> None:
        self.render = render

    def _envelope(self, repo: Repository | None, sender: str, body: JSON) -> JSON:
        if repo is not None:
            body["repository"] = self.render.repo_hook(repo)
        if repo is None or repo.owner_is_org:
            body["organization"] = self.render.org()
        body["sender"] = self.render.user(sender)
        return body

    # -- meta --------------------------------------------------------------------------------
    def ping(self, hook_id: int, url: str | None, created: datetime, zen_index: int) -> JSON:
        api = f"{self.render.api}/orgs/{self.render.store.org.login}/hooks/{hook_id}"
        return {
            "zen": ZEN[zen_index % len(ZEN)],
            "hook_id": hook_id,
            "hook": {
                "type": "Organization",
                "id": hook_id,
                "name": "web",
                "active": True,
                "events": ["*"],
                "config": {
                    "content_type": "json",
                    "url": url or "http://127.0.0.1/unset",
                    "insecure_ssl": "0",
                },
                "updated_at": iso(created),
                "created_at": iso(created),
                "url": api,
                "ping_url": f"{api}/pings",
                "deliveries_url": f"{api}/deliveries",
            },
            "organization": self.render.org(),
            "sender": self.render.user(self.render.store.members()[0]),
        }

    def installation(self, action: str, sender: str, when: datetime) -> JSON:
        org = self.render.store.org
        repos = self.render.store.org_repos()
        api, web = self.render.api, self.render.web
        body: JSON = {
            "action": action,
            "installation": {
                "id": INSTALLATION_ID,
                "account": self.render.org_as_user(),
                "repository_selection": "all",
                "access_tokens_url": f"{api}/app/installations/{INSTALLATION_ID}/access_tokens",
                "repositories_url": f"{api}/installation/repositories",
                "html_url": f"{web}/organizations/{org.login}/settings/installations/"
                f"{INSTALLATION_ID}",
                "app_id": APP_ID,
                "app_slug": APP_SLUG,
                "target_id": org.id,
                "target_type": "Organization",
                "permissions": {
                    "actions": "read",
                    "contents": "read",
                    "issues": "read",
                    "metadata": "read",
                    "pull_requests": "read",
                },
                "events": [
                    "issues",
                    "issue_comment",
                    "pull_request",
                    "pull_request_review",
                    "push",
                    "release",
                    "star",
                    "workflow_run",
                ],
                "created_at": iso(when),
                "updated_at": iso(when),
                "single_file_name": None,
                "suspended_at": None,
                "suspended_by": None,
            },
            "repositories": [
                {
                    "id": r.id,
                    "node_id": self.render.repo_hook(r)["node_id"],
                    "name": r.name,
                    "full_name": r.full_name,
                    "private": r.private,
                }
                for r in repos
            ],
        }
        if action == "created":
            body["requester"] = self.render.user(sender)
        body["sender"] = self.render.user(sender)
        return body

    def repository(self, action: str, repo: Repository, sender: str) -> JSON:
        return self._envelope(repo, sender, {"action": action})

    # -- code --------------------------------------------------------------------------------
    def push(
        self,
        repo: Repository,
        ref: str,
        before: str,
        commits: list[Commit],
        pusher: str,
        *,
        created: bool,
    ) -> JSON:
        _, html = self.render.repo_urls(repo)
        after = commits[-1].sha if commits else before
        user = self.render.store.require_user(pusher)
        rendered = [self.render.push_commit(repo, c) for c in commits]
        compare = f"{html}/compare/{before[:12]}...{after[:12]}"
        if created:
            compare = f"{html}/compare/{ref.removeprefix('refs/heads/')}"
        payload = self._envelope(
            repo,
            pusher,
            {
                "ref": ref,
                "before": "0" * 40 if created else before,
                "after": after,
                "created": created,
                "deleted": False,
                "forced": False,
                "base_ref": None,
                "compare": compare,
                "commits": rendered,
                "head_commit": rendered[-1] if rendered else None,
                "pusher": {"name": user.login, "email": user.commit_email},
            },
        )
        # GitHub's push payloads describe the repository in an older dialect: epoch-second
        # timestamps, ``stargazers``, ``master_branch`` and the organization's login as a string.
        repository = payload["repository"]
        repository["created_at"] = int(repo.created_at.timestamp())
        repository["pushed_at"] = int(repo.pushed_at.timestamp())
        repository["stargazers"] = len(repo.stars)
        repository["master_branch"] = repo.default_branch
        if repo.owner_is_org:
            repository["organization"] = repo.owner
        return payload

    def fork(self, repo: Repository, forkee: Repository, sender: str) -> JSON:
        forked = self.render.repo_hook(forkee)
        return self._envelope(repo, sender, {"forkee": forked})

    def star(self, action: str, repo: Repository, star: Star) -> JSON:
        starred_at = iso(star.starred_at) if action == "created" else None
        return self._envelope(repo, star.user, {"action": action, "starred_at": starred_at})

    def release(self, action: str, repo: Repository, release: Release, sender: str) -> JSON:
        return self._envelope(
            repo, sender, {"action": action, "release": self.render.release(repo, release)}
        )

    def workflow_run(self, action: str, repo: Repository, run: WorkflowRun) -> JSON:
        workflow = next(w for w in repo.workflows if w.id == run.workflow_id)
        return self._envelope(
            repo,
            run.actor,
            {
                "action": action,
                "workflow": self.render.workflow(repo, workflow),
                "workflow_run": self.render.run(repo, run),
            },
        )

    # -- issues and pull requests ------------------------------------------------------------
    def issues(
        self, action: str, repo: Repository, issue: Issue, sender: str, *, label: str | None = None
    ) -> JSON:
        body: JSON = {"action": action, "issue": self.render.issue(repo, issue)}
        if label is not None:
            found = repo.label(label)
            if found is not None:
                body["label"] = self.render.label(repo, found)
        return self._envelope(repo, sender, body)

    def issue_comment(self, repo: Repository, issue: Issue, comment: Comment) -> JSON:
        return self._envelope(
            repo,
            comment.user,
            {
                "action": "created",
                "issue": self.render.issue(repo, issue),
                "comment": self.render.comment(repo, comment),
            },
        )

    def pull_request(
        self,
        action: str,
        repo: Repository,
        issue: Issue,
        sender: str,
        *,
        requested_reviewer: str | None = None,
        before: str | None = None,
    ) -> JSON:
        body: JSON = {"action": action, "number": issue.number}
        if before is not None:
            assert issue.pull is not None
            body["before"] = before
            body["after"] = issue.pull.head_sha
        body["pull_request"] = self.render.pull(repo, issue)
        if requested_reviewer is not None:
            body["requested_reviewer"] = self.render.user(requested_reviewer)
        return self._envelope(repo, sender, body)

    def pull_request_review(self, repo: Repository, issue: Issue, review: Review) -> JSON:
        return self._envelope(
            repo,
            review.user,
            {
                "action": "submitted",
                "review": self.render.review(repo, issue, review, hook=True),
                "pull_request": self.render.pull(repo, issue, full=False),
            },
        )
