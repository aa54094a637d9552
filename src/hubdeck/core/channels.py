"""Real-time channels: their names, and which channels an event goes to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from hubdeck.core.events import DomainEvent


class ChannelKind(StrEnum):
    user = "user"  # one person's notifications and session events
    team = "team"  # everything about a team and its followed repositories
    repo = "repo"  # one repository
    dashboard = "dashboard"  # one dashboard: co-editing and viewers
    pool = "pool"  # a team's GitHub quota pool


# Channels whose subscribers are listed (who is viewing), with join and leave pushes.
PRESENCE_KINDS = frozenset({ChannelKind.repo, ChannelKind.dashboard})

_NAME = re.compile(r"^(user|team|repo|dashboard|pool):([1-9][0-9]{0,17})$")


@dataclass(frozen=True, slots=True)
class Channel:
    kind: ChannelKind
    id: int

    @property
    def name(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @property
    def has_presence(self) -> bool:
        return self.kind in PRESENCE_KINDS


def parse_channel(name: str) -> Channel | None:
    match = _NAME.match(name)
    if match is None:
        return None
    return Channel(ChannelKind(match.group(1)), int(match.group(2)))


def channels_for(event: DomainEvent, following_teams: list[int]) -> list[str]:
    """The channels an event concerns: its repository's, and the team channel of every team
    that follows that repository (or of its own team)."""
    names: list[str] = []
    if event.repository_id is not None:
        names.append(f"repo:{event.repository_id}")
    teams = list(following_teams)
    if event.team_id is not None and event.team_id not in teams:
        teams.append(event.team_id)
    names.extend(f"team:{team}" for team in teams)
    return names
