"""Users and team roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    owner = "owner"
    admin = "admin"
    member = "member"
    viewer = "viewer"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    name: str | None
    avatar_url: str | None
    github_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    slug: str
    name: str
    github_org: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    team_id: int
    user_id: int
    role: Role
