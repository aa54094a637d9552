"""Digests: one notification that sums up what a user left unread since the previous one.

A user chooses ``off``, ``daily`` or ``weekly``, the hour (and for weekly the weekday) in their
time zone (UTC when they gave none). Each scheduled instant starts a *period*, named by that
instant in UTC: ``due_period`` is the latest one at or before ``now``. The digest of a period
covers the notifications created after the previous period's instant and up to this one, still
unread and unarchived, digests excepted (``compose``); with nothing to say there is no digest.

Pure: the service finds who is due, claims the period in the database so that only one process
sends it, and stores and pushes what ``compose`` returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hubdeck.core.notifications.model import (
    SEVERITY,
    Level,
    Notification,
    NotificationDraft,
    NotificationKind,
)


class DigestFrequency(StrEnum):
    off = "off"
    daily = "daily"
    weekly = "weekly"


CADENCE: dict[DigestFrequency, timedelta] = {
    DigestFrequency.daily: timedelta(days=1),
    DigestFrequency.weekly: timedelta(days=7),
}

# The top titles a digest names; the rest are counted.
TOP_TITLES = 3
# Where a digest leads: the unread notifications, where everything it counts is.
DIGEST_LINK = "/notifications?unread=1"


class DigestSchedule(BaseModel):
    """When a user gets digests. Off by default: the notification center already shows every
    notification live, so a digest is a summary a person asks for, not one more unread item
    everyone has to dismiss."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    frequency: DigestFrequency = DigestFrequency.off
    # Local hour of the day, in ``time_zone``.
    hour: int = Field(default=8, ge=0, le=23)
    # For weekly digests: 0 is Monday, as in ``date.weekday()``.
    weekday: int = Field(default=0, ge=0, le=6)
    # An IANA name such as ``Europe/Paris``; None is UTC.
    time_zone: str | None = Field(default=None, max_length=64)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or "UTC")

    def same_times(self, other: DigestSchedule) -> bool:
        """Whether both send at the same instants (a change of schedule restarts the periods)."""
        return self.model_dump() == other.model_dump()


def due_period(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The latest scheduled instant at or before ``now``, in UTC; None when digests are off."""
    if schedule.frequency is DigestFrequency.off:
        return None
    local = now.astimezone(schedule.zone)
    day = local.date()
    if schedule.frequency is DigestFrequency.weekly:
        day -= timedelta(days=(day.weekday() - schedule.weekday) % 7)
    step = CADENCE[schedule.frequency].days
    candidate = _at(day, schedule)
    if candidate > now:
        candidate = _at(day - timedelta(days=step), schedule)
    return candidate


def _at(day: date, schedule: DigestSchedule) -> datetime:
    # Local wall time to UTC: across a DST change the day is shorter or longer, not the hour
    # skipped; an hour that does not exist that night reads as the one after the change.
    return datetime.combine(day, time(schedule.hour), tzinfo=schedule.zone).astimezone(UTC)


def window_start(schedule: DigestSchedule, period: datetime, previous: datetime | None) -> datetime:
    """Where the digest of ``period`` starts: the previous period sent, else one cadence back."""
    if previous is not None and previous < period:
        return previous
    return period - CADENCE.get(schedule.frequency, CADENCE[DigestFrequency.daily])


# What the digest calls each kind, in its counts.
KIND_NAMES: dict[NotificationKind, str] = {
    NotificationKind.review_requested: "review requested",
    NotificationKind.pull_merged: "pull request merged",
    NotificationKind.pull_closed: "pull request closed",
    NotificationKind.pull_approved: "pull request approved",
    NotificationKind.changes_requested: "changes requested",
    NotificationKind.mentioned: "mentioned",
    NotificationKind.workflow_failed: "workflow failed",
    NotificationKind.dashboard_shared: "dashboard shared",
    NotificationKind.team_invitation: "team invitation",
    NotificationKind.pool_low: "GitHub quota running low",
    NotificationKind.pool_dry: "GitHub quota used up",
    NotificationKind.webhook_disabled: "webhook disabled",
    NotificationKind.new_device: "sign-in from a new device",
    NotificationKind.credential_revoked: "GitHub credential revoked",
    NotificationKind.digest: "digest",
}


def covered(
    notifications: Iterable[Notification], since: datetime, until: datetime
) -> list[Notification]:
    """The notifications a digest of (``since``, ``until``] sums up."""
    return [
        n
        for n in notifications
        if n.kind is not NotificationKind.digest
        and n.read_at is None
        and n.archived_at is None
        and since < n.created_at <= until
    ]


def compose_digest(
    recipient_id: int,
    schedule: DigestSchedule,
    notifications: Iterable[Notification],
    *,
    since: datetime,
    period: datetime,
) -> NotificationDraft | None:
    """The digest of ``period`` for one user, or None when nothing it covers is unread.

    Rows are counted as the notification center lists them: a collapsed row ("12 workflow runs
    failed in acme/api") counts once, and its title says the rest.
    """
    items = covered(notifications, since, period)
    if not items:
        return None
    name = "Weekly" if schedule.frequency is DigestFrequency.weekly else "Daily"
    total = len(items)
    lines = [
        _levels_line(items),
        "By kind: " + _counts(Counter(KIND_NAMES[n.kind] for n in items)),
    ]
    repositories = Counter(_repository(n) for n in items if n.repository_id is not None)
    if repositories:
        lines.append("By repository: " + _counts(repositories))
    top = sorted(items, key=lambda n: (-SEVERITY[n.level], -n.updated_at.timestamp(), -n.id))
    lines.extend(f"• {n.title}" for n in top[:TOP_TITLES])
    if total > TOP_TITLES:
        lines.append(f"…and {total - TOP_TITLES} more")
    stamp = period.isoformat()
    return NotificationDraft(
        recipient_id=recipient_id,
        kind=NotificationKind.digest,
        level=Level.info,
        title=f"{name} digest: {total} unread notification{'s' if total != 1 else ''}",
        body="\n".join(lines),
        link=DIGEST_LINK,
        # One group per period: a digest never collapses with anything, not even another digest.
        group_key=f"digest:{stamp}",
        group_title="digests",
        group_link=DIGEST_LINK,
        occurred_at=period,
        event_id=f"digest:{recipient_id}:{stamp}",
    )


def _levels_line(items: list[Notification]) -> str:
    levels = Counter(n.level for n in items)
    parts = []
    for level in sorted(levels, key=SEVERITY.__getitem__, reverse=True):
        count = levels[level]
        noun = level.value if level is Level.info or count == 1 else f"{level.value}s"
        parts.append(f"{count} {noun}")
    return ", ".join(parts)


def _counts(counter: Counter[str]) -> str:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{label} {count}" for label, count in ordered)


def _repository(notification: Notification) -> str:
    # Subjects read ``owner/name#42`` or ``owner/name``: the repository is before the ``#``.
    name = notification.subject.partition("#")[0].strip()
    return name or f"repository {notification.repository_id}"
