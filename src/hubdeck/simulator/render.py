"""GitHub's JSON shapes of people, organizations and repositories.

``Renderer`` turns records into the dicts GitHub sends. REST and webhooks share the shapes
except where GitHub differs (the webhook repository, for instance, has ``custom_properties``
and no ``organization`` object).
"""

from __future__ import annotations

from typing import Any

from .models import Organization, Repository, User, iso, node_id
from .state import Store

JSON = dict[str, Any]

LICENSES = {
    "mit": ("MIT License", "MIT", "MDc6TGljZW5zZTEz"),
    "apache-2.0": ("Apache License 2.0", "Apache-2.0", "MDc6TGljZW5zZTI="),
}

# Who holds which role in a repository, for ``permissions`` and ``author_association``.
ADMIN_PERMISSIONS = {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True}
MEMBER_PERMISSIONS = {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True}
READ_PERMISSIONS = {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}

# common/repository-lite.schema.json, in GitHub's order.
REPOSITORY_LITE_KEYS = (
    "id",
    "node_id",
    "name",
    "full_name",
    "private",
    "owner",
    "html_url",
    "description",
    "fork",
    "url",
    "forks_url",
    "keys_url",
    "collaborators_url",
    "teams_url",
    "hooks_url",
    "issue_events_url",
    "events_url",
    "assignees_url",
    "branches_url",
    "tags_url",
    "blobs_url",
    "git_tags_url",
    "git_refs_url",
    "trees_url",
    "statuses_url",
    "languages_url",
    "stargazers_url",
    "contributors_url",
    "subscribers_url",
    "subscription_url",
    "commits_url",
    "git_commits_url",
    "comments_url",
    "issue_comment_url",
    "contents_url",
    "compare_url",
    "merges_url",
    "archive_url",
    "downloads_url",
    "issues_url",
    "pulls_url",
    "milestones_url",
    "notifications_url",
    "labels_url",
    "releases_url",
    "deployments_url",
)


class Renderer:
    def __init__(self, store: Store, base_url: str) -> None:
        self.store = store
        self.api = base_url.rstrip("/")
        self.web = self.api

    # -- people ------------------------------------------------------------------------------
    def avatar(self, ident: int) -> str:
        return f"{self.api}/avatars/u/{ident}?v=4"

    def user(self, who: str | User) -> JSON:
        user = who if isinstance(who, User) else self.store.require_user(who)
        return self._account(user.login, user.id, user.type, "User")

    def org_as_user(self) -> JSON:
        org = self.store.org
        return self._account(org.login, org.id, "Organization", "Organization")

    def owner(self, repo: Repository) -> JSON:
        return self.org_as_user() if repo.owner_is_org else self.user(repo.owner)

    def _account(self, login: str, ident: int, kind: str, node_type: str) -> JSON:
        api = f"{self.api}/users/{login}"
        return {
            "login": login,
            "id": ident,
            "node_id": node_id("Bot" if kind == "Bot" else node_type, ident),
            "avatar_url": self.avatar(ident),
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": kind,
            "site_admin": False,
        }

    def user_full(self, user: User, *, private: bool = False) -> JSON:
        public_repos = sum(
            1 for r in self.store.repos.values() if r.owner == user.login and not r.private
        )
        body = self.user(user) | {
            "user_view_type": "private" if private else "public",
            "name": user.name,
            "company": user.company,
            "blog": "",
            "location": user.location,
            "email": user.email,
            "hireable": None,
            "bio": user.bio,
            "twitter_username": None,
            "public_repos": public_repos,
            "public_gists": 0,
            "followers": user.id % 40,
            "following": user.id % 7,
            "created_at": iso(user.created_at),
            "updated_at": iso(user.created_at),
        }
        if private:
            body |= {
                "private_gists": 0,
                "total_private_repos": 0,
                "owned_private_repos": 0,
                "disk_usage": 0,
                "collaborators": 0,
                "two_factor_authentication": True,
                "plan": {
                    "name": "free",
                    "space": 976562499,
                    "collaborators": 0,
                    "private_repos": 10000,
                },
            }
        return body

    # -- organization ------------------------------------------------------------------------
    def org(self) -> JSON:
        org = self.store.org
        api = f"{self.api}/orgs/{org.login}"
        return {
            "login": org.login,
            "id": org.id,
            "node_id": node_id("Organization", org.id),
            "url": api,
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events",
            "hooks_url": f"{api}/hooks",
            "issues_url": f"{api}/issues",
            "members_url": f"{api}/members{{/member}}",
            "public_members_url": f"{api}/public_members{{/member}}",
            "avatar_url": self.avatar(org.id),
            "description": org.description,
        }

    def org_full(self, *, member: bool) -> JSON:
        org: Organization = self.store.org
        repos = self.store.org_repos()
        body = self.org() | {
            "name": org.name,
            "company": None,
            "blog": org.blog,
            "location": org.location,
            "email": None,
            "twitter_username": None,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": sum(1 for r in repos if not r.private),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"{self.web}/{org.login}",
            "created_at": iso(org.created_at),
            "updated_at": iso(org.created_at),
            "archived_at": None,
            "type": "Organization",
        }
        if member:
            private = sum(1 for r in repos if r.private)
            body |= {
                "total_private_repos": private,
                "owned_private_repos": private,
                "private_gists": 0,
                "disk_usage": sum(r.size for r in repos),
                "collaborators": 0,
                "billing_email": None,
                "default_repository_permission": "read",
                "members_can_create_repositories": True,
                "two_factor_requirement_enabled": False,
                "members_allowed_repository_creation_type": "all",
                "members_can_create_public_repositories": True,
                "members_can_create_private_repositories": True,
                "members_can_create_internal_repositories": False,
                "members_can_create_pages": True,
                "members_can_create_public_pages": True,
                "members_can_create_private_pages": True,
                "members_can_fork_private_repositories": False,
                "web_commit_signoff_required": False,
                "plan": {
                    "name": "team",
                    "space": 976562499,
                    "private_repos": 999999,
                    "filled_seats": len(self.store.members()),
                    "seats": 50,
                },
            }
        return body

    # -- repositories ------------------------------------------------------------------------
    def repo_urls(self, repo: Repository) -> tuple[str, str]:
        return f"{self.api}/repos/{repo.full_name}", f"{self.web}/{repo.full_name}"

    def _repo_base(self, repo: Repository) -> JSON:
        api, html = self.repo_urls(repo)
        license_body = None
        if repo.license_key is not None:
            name, spdx, nid = LICENSES[repo.license_key]
            license_body = {
                "key": repo.license_key,
                "name": name,
                "spdx_id": spdx,
                "url": f"{self.api}/licenses/{repo.license_key}",
                "node_id": nid,
            }
        host = self.web.split("://", 1)[-1]
        stars = len(repo.stars)
        return {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.owner(repo),
            "html_url": html,
            "description": repo.description,
            "fork": repo.fork_of is not None,
            "url": api,
            "forks_url": f"{api}/forks",
            "keys_url": f"{api}/keys{{/key_id}}",
            "collaborators_url": f"{api}/collaborators{{/collaborator}}",
            "teams_url": f"{api}/teams",
            "hooks_url": f"{api}/hooks",
            "issue_events_url": f"{api}/issues/events{{/number}}",
            "events_url": f"{api}/events",
            "assignees_url": f"{api}/assignees{{/user}}",
            "branches_url": f"{api}/branches{{/branch}}",
            "tags_url": f"{api}/tags",
            "blobs_url": f"{api}/git/blobs{{/sha}}",
            "git_tags_url": f"{api}/git/tags{{/sha}}",
            "git_refs_url": f"{api}/git/refs{{/sha}}",
            "trees_url": f"{api}/git/trees{{/sha}}",
            "statuses_url": f"{api}/statuses/{{sha}}",
            "languages_url": f"{api}/languages",
            "stargazers_url": f"{api}/stargazers",
            "contributors_url": f"{api}/contributors",
            "subscribers_url": f"{api}/subscribers",
            "subscription_url": f"{api}/subscription",
            "commits_url": f"{api}/commits{{/sha}}",
            "git_commits_url": f"{api}/git/commits{{/sha}}",
            "comments_url": f"{api}/comments{{/number}}",
            "issue_comment_url": f"{api}/issues/comments{{/number}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "compare_url": f"{api}/compare/{{base}}...{{head}}",
            "merges_url": f"{api}/merges",
            "archive_url": f"{api}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{api}/downloads",
            "issues_url": f"{api}/issues{{/number}}",
            "pulls_url": f"{api}/pulls{{/number}}",
            "milestones_url": f"{api}/milestones{{/number}}",
            "notifications_url": f"{api}/notifications{{?since,all,participating}}",
            "labels_url": f"{api}/labels{{/name}}",
            "releases_url": f"{api}/releases{{/id}}",
            "deployments_url": f"{api}/deployments",
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "pushed_at": iso(repo.pushed_at),
            "git_url": f"git://{host}/{repo.full_name}.git",
            "ssh_url": f"git@{host}:{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "homepage": repo.homepage,
            "size": repo.size,
            "stargazers_count": stars,
            "watchers_count": stars,
            "language": repo.language,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": not repo.private,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": len(repo.forks),
            "mirror_url": None,
            "archived": False,
            "disabled": False,
            "open_issues_count": repo.open_issues_count,
            "license": license_body,
            "allow_forking": not repo.private,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": list(repo.topics),
            "visibility": "private" if repo.private else "public",
            "forks": len(repo.forks),
            "open_issues": repo.open_issues_count,
            "watchers": stars,
            "default_branch": repo.default_branch,
        }

    def repo_hook(self, repo: Repository) -> JSON:
        """The ``repository`` object of webhook payloads (common/repository.schema.json)."""
        return self._repo_base(repo) | {
            "allow_squash_merge": True,
            "allow_merge_commit": True,
            "allow_rebase_merge": True,
            "allow_auto_merge": False,
            "delete_branch_on_merge": True,
            "custom_properties": {},
        }

    def permissions(self, repo: Repository, viewer: str | None) -> dict[str, bool]:
        if viewer is None:
            return dict(READ_PERMISSIONS)
        if repo.owner.lower() == viewer.lower():
            return dict(ADMIN_PERMISSIONS)
        members = self.store.members()
        if repo.owner_is_org and members and members[0].login.lower() == viewer.lower():
            return dict(ADMIN_PERMISSIONS)  # the first member owns the organization
        if repo.owner_is_org and self.store.is_member(viewer):
            return dict(MEMBER_PERMISSIONS)
        return dict(READ_PERMISSIONS)

    def repo(self, repo: Repository, viewer: str | None, *, full: bool = False) -> JSON:
        """A repository as the REST API shows it: minimal in lists, full from GET /repos."""
        body = self._repo_base(repo)
        if viewer is not None:
            body["permissions"] = self.permissions(repo, viewer)
        if full:
            body |= {"temp_clone_token": "" if viewer else None}
        body |= {
            "allow_squash_merge": True,
            "allow_merge_commit": True,
            "allow_rebase_merge": True,
            "allow_auto_merge": False,
            "delete_branch_on_merge": True,
            "allow_update_branch": False,
            "use_squash_pr_title_as_default": True,
        }
        if full:
            if repo.owner_is_org:
                body["organization"] = self.org_as_user()
            parent = self.store.repos.get(repo.fork_of) if repo.fork_of else None
            if parent is not None:
                body["parent"] = self.repo(parent, viewer)
                body["source"] = self.repo(parent, viewer)
            body["network_count"] = len(repo.forks)
            body["subscribers_count"] = repo.subscribers_count
        return body

    def repo_lite(self, repo: Repository) -> JSON:
        """common/repository-lite.schema.json: the URL-heavy subset used in workflow runs."""
        base = self._repo_base(repo)
        return {key: base[key] for key in REPOSITORY_LITE_KEYS}

    def association(self, repo: Repository, login: str) -> str:
        if repo.owner.lower() == login.lower():
            return "OWNER"
        if repo.owner_is_org and self.store.is_member(login):
            return "MEMBER"
        if login in repo.contributors:
            return "CONTRIBUTOR"
        return "NONE"

    def reactions(self, url: str) -> JSON:
        return {
            "url": f"{url}/reactions",
            "total_count": 0,
            "+1": 0,
            "-1": 0,
            "laugh": 0,
            "hooray": 0,
            "confused": 0,
            "heart": 0,
            "rocket": 0,
            "eyes": 0,
        }
