"""Builders for the notification tests: one team setup, events by type, explicit times."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications import (
    Level,
    Links,
    Member,
    Notification,
    NotificationDraft,
    NotificationKind,
    RuleContext,
    TeamContext,
)
from hubdeck.core.users import Role

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REPO_ID = 7
REPO = "acme/api"

ALICE = Member(1, "alice", Role.owner)
BOB = Member(2, "bob", Role.member)
CAROL = Member(3, "Carol", Role.admin)  # mixed case: logins compare case-insensitively
DAVE = Member(4, "dave", Role.member)
VIEWER = Member(5, "vic", Role.viewer)
# A machine account somebody added to a team: bots never get notifications.
BOT = Member(9, "deploy[bot]", Role.admin)

PLATFORM = TeamContext(
    3, "Platform", (ALICE, BOB, CAROL, VIEWER, BOT), default_branches={REPO_ID: "main"}
)
WEB = TeamContext(4, "Web", (BOB, DAVE), default_branches={REPO_ID: "main"})

_ids = itertools.count(1)


def ctx(**changes: Any) -> RuleContext:
    """Platform (3) and Web (4) follow acme/api (7); bob is in both."""
    values: dict[str, Any] = {
        "teams": {3: PLATFORM, 4: WEB},
        "following": (3, 4),
        "pull_authors": {42: "alice", 43: "dependabot[bot]", 44: "dave"},
        "links": Links(),
    }
    values.update(changes)
    return RuleContext(**values)


def event(
    type: str,
    data: dict[str, Any] | None = None,
    *,
    actor: str | None = None,
    subject: str = f"{REPO}#42",
    repository_id: int | None = REPO_ID,
    team_id: int | None = None,
    at: datetime = T0,
    id: str | None = None,
) -> DomainEvent:
    """An event as ingest or a feature emits it; ``model_construct`` admits the event types
    that are not in ``EVENT_TYPES`` yet."""
    full = dict(data or {})
    if repository_id is not None:
        full.setdefault("repository", REPO)
    return DomainEvent.model_construct(
        id=id or f"ev-{next(_ids)}",
        type=type,
        occurred_at=at,
        team_id=team_id,
        repository_id=repository_id,
        subject=subject,
        actor=actor,
        data=full,
    )


def team_event(type: str, data: dict[str, Any], *, actor: str | None = None) -> DomainEvent:
    return event(type, data, actor=actor, subject="", repository_id=None, team_id=3)


def draft(
    recipient: int = 1,
    group: str = f"workflow_failed:{REPO}",
    *,
    at: datetime = T0,
    kind: NotificationKind = NotificationKind.workflow_failed,
    level: Level = Level.error,
    team_id: int | None = 3,
    title: str = "CI failed on main in acme/api",
) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=recipient,
        kind=kind,
        level=level,
        title=title,
        link=f"/teams/3/repositories/7?run={next(_ids)}",
        subject=REPO,
        team_id=team_id,
        repository_id=REPO_ID,
        group_key=group,
        group_title=f"workflow runs failed in {REPO}",
        group_link="/teams/3/repositories/7",
        occurred_at=at,
        event_id=f"ev-{next(_ids)}",
    )


def row(d: NotificationDraft, *, id: int, created: datetime, **changes: Any) -> Notification:
    return Notification(**d.model_dump(), id=id, created_at=created, updated_at=created, **changes)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def recipients(drafts: list[NotificationDraft]) -> list[tuple[int, int | None]]:
    return [(d.recipient_id, d.team_id) for d in drafts]
