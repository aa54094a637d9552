"""What the pool schedules: credentials with their reach, and the needs of requests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum

BUCKETS = ("core", "search", "graphql")

# GitHub's secondary limits count points per minute: a GET (or HEAD, OPTIONS) costs one, a
# request that changes something five.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_POINTS = 5


def points_of(method: str) -> int:
    return 1 if method.upper() in _READ_METHODS else WRITE_POINTS


class CredentialKind(StrEnum):
    app = "app"  # a GitHub App installation: the team's to share
    service = "service"  # a machine account's token an admin added: the team's to share
    member = "member"  # a member's own OAuth token: serves only that member's requests


class Priority(IntEnum):
    interactive = 0  # someone is looking at the page
    background = 1  # periodic sync


@dataclass(frozen=True, slots=True)
class Reach:
    """What a credential may see beyond public data: every repository of ``accounts`` (an
    installation's organization, a machine account's organizations) and ``repositories`` by
    full name. Names are compared case-insensitively, as GitHub does."""

    accounts: frozenset[str] = frozenset()
    repositories: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        accounts: list[str] | tuple[str, ...] = (),
        repositories: tuple[str, ...] | list[str] = (),
    ) -> Reach:
        return cls(
            frozenset(a.strip().lower() for a in accounts if a.strip()),
            frozenset(r.strip().lower() for r in repositories if r.strip()),
        )

    def covers(self, full_name: str) -> bool:
        lowered = full_name.lower()
        owner = lowered.partition("/")[0]
        return owner in self.accounts or lowered in self.repositories


@dataclass(frozen=True, slots=True)
class Credential:
    """``id`` is stable across token refreshes (``app:7``, ``service:3``, ``member:12``): quota,
    ETags and affinity are kept under it. A member credential has no team: it serves its
    owner's requests in any team."""

    id: str
    kind: CredentialKind
    owner_id: int | None  # the member (member tokens) or who added it (shared credentials)
    team_id: int | None = None
    reach: Reach = field(default_factory=Reach)
    label: str = ""

    @property
    def shared(self) -> bool:
        return self.kind is not CredentialKind.member


@dataclass(frozen=True, slots=True)
class Need:
    """What one GitHub request needs from a credential, and whom it serves.

    ``user_id`` is the member the request is made for: the viewer of an interactive request, the
    member who followed a repository for its background sync. ``own`` marks requests only the
    member's own token can answer (their repositories, their organizations, themselves).
    ``repository`` is the full name the request reads, when it reads one; ``private`` whether
    that repository is private (unknown counts as private: never guess wider).
    """

    team_id: int | None
    user_id: int | None
    repository: str | None = None
    private: bool = True
    own: bool = False
    bucket: str = "core"
    method: str = "GET"
    purpose: str = "sync"
    priority: Priority = Priority.background

    @property
    def points(self) -> int:
        return points_of(self.method)

    @property
    def fairness_key(self) -> str:
        return "team" if self.user_id is None else f"user:{self.user_id}"


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """Secondary-limit guards per credential, and reservation bookkeeping.

    GitHub allows at most 100 concurrent requests and 900 points a minute per credential on
    the REST API; HubDeck stays below both. ``lease``: a reservation not settled within it (a
    crashed process) stops counting as in flight. ``window``: the assumed length of a quota
    window after a reset, until a response tells the real one.
    """

    max_concurrent: int = 10
    points_per_minute: int = 800
    lease: float = 60.0
    window: float = 3600.0
    # Seconds past a bucket's reset before it counts as refilled: GitHub's clock and ours
    # differ a little, and a request sent a moment early is refused.
    reset_margin: float = 1.0
    # Concurrency kept for interactive requests on each credential: background sync, from any
    # process, never takes the last slots, so someone looking never waits behind a bulk sync.
    interactive_slots: int = 1

    def for_priority(self, priority: int) -> PoolLimits:
        if priority == Priority.interactive:
            return self
        return replace(self, max_concurrent=max(1, self.max_concurrent - self.interactive_slots))
