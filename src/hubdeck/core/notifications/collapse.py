"""No storms: similar notifications within a window become one row that counts them.

Two drafts are similar when they have the same recipient and ``group_key``. A new draft at time
``now`` folds into the recipient's unarchived row of that group created less than ``window``
ago: the row counts one more, its title says how many ("12 workflow runs failed in acme/api"),
its body names the latest, its link becomes the group's page, its ``updated_at`` moves to
``now`` and it is unread again. Otherwise the draft starts a row of its own.

The window is anchored at the row's ``created_at``, not slid by each update: a storm that never
stops yields one row per window instead of one row forever growing while its first events age
out of sight. Hence a burst shorter than the window gives one row, or two when an earlier
row of the group was still open as the burst began and its window closed during the burst (the
first drafts fold into it, the rest start a new row). Archiving a row also closes it: the next
draft starts a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hubdeck.core.notifications.model import (
    SEVERITY,
    Notification,
    NotificationDraft,
    new_notification,
)

# Ten minutes: longer than a burst of CI failures from one push or one bulk review request, short
# enough that a new problem an hour later is news again rather than a bump of an old row.
DEFAULT_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Insert:
    """Store the draft as a new row created at ``at``."""

    draft: NotificationDraft
    at: datetime

    def notification(self, id: int) -> Notification:
        return new_notification(self.draft, id=id, at=self.at)


@dataclass(frozen=True, slots=True)
class Update:
    """Replace the stored row with the same id by ``notification``."""

    notification: Notification
    previous: Notification


Decision = Insert | Update


def collapse(
    recent: Iterable[Notification],
    draft: NotificationDraft,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
) -> Decision:
    """Insert ``draft`` or fold it into one of ``recent`` (the recipient's recent rows)."""
    open_rows = [
        row
        for row in recent
        if row.recipient_id == draft.recipient_id
        and row.group_key == draft.group_key
        and row.archived_at is None
        and now - row.created_at < window
    ]
    if not open_rows:
        return Insert(draft, now)
    row = max(open_rows, key=lambda r: (r.created_at, r.id))
    return Update(fold(row, draft, now), row)


def fold(row: Notification, draft: NotificationDraft, now: datetime) -> Notification:
    """``row`` with ``draft`` counted in: the latest draft's facts, the group's title and link."""
    count = row.count + 1
    level = max(row.level, draft.level, key=SEVERITY.__getitem__)
    return row.model_copy(
        update={
            **draft.model_dump(),
            "level": level,
            "title": collapsed_title(count, draft.group_title),
            "body": f"Latest: {draft.title}",
            "link": draft.group_link,
            "occurred_at": max(row.occurred_at, draft.occurred_at),
            "count": count,
            "updated_at": max(row.updated_at, now),
            "read_at": None,
        }
    )


def collapsed_title(count: int, group_title: str) -> str:
    return f"{count} {group_title}"
