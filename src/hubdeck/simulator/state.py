"""The in-memory store: every entity, id counters, tokens, and the lookups routes need.

Mutations that GitHub users perform (open an issue, merge a pull request...) live in
``mutations``; this module only holds and finds things.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from .models import Issue, Organization, Repository, User

# Id ranges per kind, so that ids look like GitHub's (large, distinct per kind) and one kind's
# growth never collides with another's.
_ID_BASES = {
    "user": 1_000,
    "org": 9_000_000,
    "repo": 700_000_000,
    "issue": 2_000_000_000,
    "pull": 1_500_000_000,
    "comment": 3_000_000_000,
    "review": 1_800_000_000,
    "run": 6_000_000_000,
    "check_suite": 16_000_000_000,
    "release": 140_000_000,
    "label": 4_000_000_000,
    "workflow": 50_000_000,
}

DEFAULT_SCOPES = ("repo", "read:org", "user")


@dataclass(slots=True)
class Token:
    value: str
    login: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked: bool = False
    # GitHub App installation tokens: the installation whose quota they spend, and their expiry.
    installation_id: int | None = None
    expires_at: datetime | None = None

    @property
    def rate_key(self) -> str:
        """Whose quota a request spends: an installation's tokens share the installation's."""
        if self.installation_id is not None:
            return f"installation:{self.installation_id}"
        return f"token:{self.value}"

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class Store:
    org: Organization
    users: dict[str, User] = field(default_factory=dict)  # lower-case login -> user
    repos: dict[int, Repository] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    # An installation's bot login (lower case) -> the accounts (lower case) it is installed on.
    installation_bots: dict[str, set[str]] = field(default_factory=dict)
    _by_name: dict[str, int] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)

    # -- ids ---------------------------------------------------------------------------------
    def next_id(self, kind: str) -> int:
        value = self._counters.get(kind, _ID_BASES[kind]) + 1
        self._counters[kind] = value
        return value

    # -- users -------------------------------------------------------------------------------
    def add_user(self, user: User) -> User:
        self.users[user.login.lower()] = user
        return user

    def user(self, login: str) -> User | None:
        return self.users.get(login.lower())

    def require_user(self, login: str) -> User:
        user = self.user(login)
        if user is None:
            raise KeyError(login)
        return user

    def members(self) -> list[User]:
        return sorted((u for u in self.users.values() if u.member), key=lambda u: u.id)

    def humans(self) -> list[User]:
        return sorted((u for u in self.users.values() if u.type == "User"), key=lambda u: u.id)

    def is_member(self, login: str | None) -> bool:
        if login is None:
            return False
        user = self.user(login)
        return user is not None and user.member

    # -- repositories ------------------------------------------------------------------------
    def add_repo(self, repo: Repository) -> Repository:
        self.repos[repo.id] = repo
        self._by_name[repo.full_name.lower()] = repo.id
        return repo

    def repo_by_name(self, owner: str, name: str) -> Repository | None:
        repo_id = self._by_name.get(f"{owner}/{name}".lower())
        return None if repo_id is None else self.repos.get(repo_id)

    def org_repos(self) -> list[Repository]:
        return [r for r in self.repos.values() if r.owner.lower() == self.org.login.lower()]

    def can_see(self, repo: Repository, viewer: str | None, scopes: tuple[str, ...]) -> bool:
        """Public repositories are visible to all; private ones to org members whose token
        carries the ``repo`` scope (GitHub answers 404, not 403, to everyone else)."""
        if not repo.private:
            return True
        if viewer is None:
            return False
        if repo.owner.lower() in self.installation_bots.get(viewer.lower(), ()):
            return True
        if "repo" not in scopes:
            return False
        if repo.owner_is_org:
            return self.is_member(viewer)
        return repo.owner.lower() == viewer.lower()

    def pulls(self, repo: Repository) -> Iterator[Issue]:
        return (issue for issue in repo.issues.values() if issue.pull is not None)

    # -- tokens ------------------------------------------------------------------------------
    def issue_token(
        self,
        login: str,
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        *,
        now: datetime,
        prefix: str = "ghp_",
        value: str | None = None,
    ) -> Token:
        user = self.require_user(login)
        token = Token(
            value=value or prefix + secrets.token_hex(18),
            login=user.login,
            scopes=tuple(scopes),
            created_at=now,
        )
        self.tokens[token.value] = token
        return token

    def revoke_token(self, value: str) -> bool:
        token = self.tokens.get(value)
        if token is None:
            return False
        token.revoked = True
        return True

    def token(self, value: str) -> Token | None:
        token = self.tokens.get(value)
        if token is None or token.revoked:
            return None
        return token
