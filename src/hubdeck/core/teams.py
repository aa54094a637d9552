"""Team rules: slugs, and what each role may do."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from hubdeck.core.errors import InvalidInput
from hubdeck.core.users import Role


class Permission(StrEnum):
    view = "view"  # see the team's repositories, metrics and dashboards
    follow = "follow"  # follow and unfollow repositories, trigger a sync
    invite = "invite"  # create invitation links
    manage = "manage"  # settings, webhook secret, roles


# The permission table, documented in docs/github.md (a test keeps them in step).
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.owner: frozenset(Permission),
    Role.admin: frozenset(Permission),
    Role.member: frozenset({Permission.view, Permission.follow}),
    Role.viewer: frozenset({Permission.view}),
}

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")


def allows(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-")
    if not _SLUG.match(slug):
        raise InvalidInput("a team name needs at least one letter or digit")
    return slug
