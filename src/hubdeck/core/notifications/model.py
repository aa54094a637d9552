"""What a notification is: the draft a rule produces, and the row that is stored and shown.

A draft becomes a row, or is folded into a recent row of the same group (collapse.py): a row
then stands for ``count`` drafts, its ``title`` reads ``f"{count} {group_title}"`` and its
``link`` becomes ``group_link``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Level(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


# Ordered by severity: a collapsed row takes the most severe level of what it stands for.
SEVERITY: dict[Level, int] = {Level.info: 0, Level.warning: 1, Level.error: 2}


class NotificationKind(StrEnum):
    review_requested = "review_requested"
    pull_merged = "pull_merged"
    pull_closed = "pull_closed"
    pull_approved = "pull_approved"
    changes_requested = "changes_requested"
    mentioned = "mentioned"
    workflow_failed = "workflow_failed"
    dashboard_shared = "dashboard_shared"
    team_invitation = "team_invitation"
    pool_low = "pool_low"
    pool_dry = "pool_dry"
    webhook_disabled = "webhook_disabled"
    new_device = "new_device"
    credential_revoked = "credential_revoked"
    # A summary of what is still unread (digest.py), sent on the user's schedule.
    digest = "digest"


# The level of each kind: error when something is broken until someone acts, warning when it
# needs attention soon or concerns the account's security, info otherwise.
LEVELS: dict[NotificationKind, Level] = {
    NotificationKind.review_requested: Level.info,
    NotificationKind.pull_merged: Level.info,
    NotificationKind.pull_closed: Level.info,
    NotificationKind.pull_approved: Level.info,
    NotificationKind.changes_requested: Level.warning,
    NotificationKind.mentioned: Level.info,
    NotificationKind.workflow_failed: Level.error,
    NotificationKind.dashboard_shared: Level.info,
    NotificationKind.team_invitation: Level.info,
    NotificationKind.pool_low: Level.warning,
    NotificationKind.pool_dry: Level.error,
    NotificationKind.webhook_disabled: Level.error,
    NotificationKind.new_device: Level.warning,
    NotificationKind.credential_revoked: Level.error,
    NotificationKind.digest: Level.info,
}


class NotificationDraft(BaseModel):
    """One notification for one HubDeck user, as a rule produced it from one event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recipient_id: int
    kind: NotificationKind
    level: Level
    title: str
    body: str = ""
    # A HubDeck path, e.g. ``/teams/3/repositories/7?pull=42``.
    link: str
    # What the event is about, e.g. ``acme/api#42``; the actor is a GitHub login (None: nobody).
    subject: str = ""
    actor: str | None = None
    # The team through which the recipient is concerned (per-team mute), if any.
    team_id: int | None = None
    repository_id: int | None = None
    # Drafts of one recipient with the same key collapse, e.g. ``workflow_failed:acme/api``.
    group_key: str
    # What ``count`` of them are called, after the count: "workflow runs failed in acme/api".
    group_title: str
    # The page of the whole group, e.g. the repository rather than one run of it.
    group_link: str
    occurred_at: datetime
    event_id: str

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _require_aware(value)


class Notification(NotificationDraft):
    """The stored row: one draft, or several collapsed into one (``count``)."""

    id: int
    created_at: datetime
    # Bumped when a later draft is collapsed into this row: the list is ordered by it.
    updated_at: datetime
    read_at: datetime | None = None
    archived_at: datetime | None = None
    count: int = Field(default=1, ge=1)

    @field_validator("created_at", "updated_at", "read_at", "archived_at")
    @classmethod
    def _aware_times(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _require_aware(value)

    @property
    def unread(self) -> bool:
        return self.read_at is None


def new_notification(draft: NotificationDraft, *, id: int, at: datetime) -> Notification:
    """The row for a draft that starts its own group, created at ``at``."""
    return Notification(**draft.model_dump(), id=id, created_at=at, updated_at=at)


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return value
