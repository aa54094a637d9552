"""Team rules: slugs, and what each role may do."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from hubdeck.core.errors import Conflict, InvalidInput, PermissionDenied
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


def check_role_change(actor: Role, current: Role, new: Role, owners: int) -> None:
    """May someone whose role is ``actor`` move a member from ``current`` to ``new``?

    Owners are the top of the table: only an owner may make or unmake one, and a team never
    loses its last owner (nobody could then manage it). Raises PermissionDenied or Conflict.
    """
    if not allows(actor, Permission.manage):
        raise PermissionDenied(f"your role ({actor}) may not change roles here")
    if Role.owner in (current, new) and actor is not Role.owner:
        raise PermissionDenied("only an owner may make or unmake an owner")
    if current is Role.owner and new is not Role.owner and owners <= 1:
        raise Conflict("a team keeps at least one owner: make someone else owner first")


def check_removal(actor: Role, target: Role, owners: int, *, self_removal: bool) -> None:
    """May ``actor`` remove a member whose role is ``target`` (or leave, ``self_removal``)?"""
    if not self_removal and not allows(actor, Permission.manage):
        raise PermissionDenied(f"your role ({actor}) may not remove members here")
    if target is Role.owner and not self_removal and actor is not Role.owner:
        raise PermissionDenied("only an owner may remove an owner")
    if target is Role.owner and owners <= 1:
        raise Conflict("a team keeps at least one owner: make someone else owner first")
