"""The audit log: which recorded events are administrative, and how they export.

The audit log is a view of the activity log (append-only: HubDeck has no path that edits or
deletes a recorded event) restricted to the changes an administrator answers for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import orjson

from hubdeck.core.events import DomainEvent

# Event types, or families ending in ".", that belong in the audit log. A feature whose events
# administrators must be able to account for adds them here.
AUDITED: tuple[str, ...] = (
    "team.",
    "dashboard.shared",
    "dashboard.unshared",
    "webhook_endpoint.",
    "pool.credential_",
    "session.revoked",
)

CSV_COLUMNS = ("occurred_at", "type", "actor", "subject", "data", "id")


def is_audited(event_type: str) -> bool:
    return any(event_type.startswith(kind) for kind in AUDITED)


def to_csv(events: Iterable[DomainEvent]) -> str:
    """RFC 4180 CSV, one row per event, ``data`` as compact JSON. A cell that a spreadsheet
    would run as a formula (leading = + - @) is prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(
            _cell(value)
            for value in (
                event.occurred_at.isoformat(),
                event.type,
                event.actor or "",
                event.subject,
                orjson.dumps(event.data, option=orjson.OPT_SORT_KEYS).decode(),
                event.id,
            )
        )
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
