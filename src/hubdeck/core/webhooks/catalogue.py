"""Which domain events leave HubDeck as webhooks, and what a delivery's body looks like.

The catalogue is explicit: an event type goes out only once it is listed here and documented
with an example in docs/webhooks.md (a test keeps them in step). Events about one person
(``session.created``, ``team.invited`` with its invitation link) never leave.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hubdeck.core.errors import InvalidInput
from hubdeck.core.events import EVENT_TYPES, DomainEvent

TEST_EVENT = "webhook.test"

WEBHOOK_EVENT_TYPES: dict[str, str] = {
    **{
        name: EVENT_TYPES[name]
        for name in (
            "repository.synced",
            "repository.updated",
            "repository.starred",
            "repository.followed",
            "repository.unfollowed",
            "pull_request.opened",
            "pull_request.updated",
            "pull_request.closed",
            "pull_request.reopened",
            "pull_request.merged",
            "pull_request.ready_for_review",
            "pull_request.converted_to_draft",
            "pull_request.review_requested",
            "pull_request.reviewed",
            "issue.opened",
            "issue.updated",
            "issue.closed",
            "issue.reopened",
            "issue.labeled",
            "comment.created",
            "workflow_run.succeeded",
            "workflow_run.failed",
            "workflow_run.updated",
            "commit.pushed",
            "release.published",
            "github.event",
            "webhook_endpoint.disabled",
            "annotation.created",
            "custom_metric.recorded",
        )
    },
    TEST_EVENT: "Sent by the “send test event” button; nothing happened.",
}


def check_event_types(types: Iterable[str]) -> list[str]:
    """An endpoint's filter: known types, each once, in a stable order (empty: every type)."""
    chosen = sorted(set(types))
    unknown = [t for t in chosen if t not in WEBHOOK_EVENT_TYPES]
    if unknown:
        raise InvalidInput(f"unknown event type(s): {', '.join(unknown)}")
    return chosen


def wants(event_types: Iterable[str], event_type: str) -> bool:
    """Whether an endpoint with this filter receives the event (the test event always)."""
    if event_type not in WEBHOOK_EVENT_TYPES:
        return False
    chosen = list(event_types)
    return not chosen or event_type in chosen or event_type == TEST_EVENT


def payload(event: DomainEvent) -> bytes:
    """The body of every attempt of one message: Standard Webhooks' ``type``, ``timestamp``
    (when the event happened: ordering between deliveries is not promised) and ``data``."""
    return body(
        event.type,
        event.occurred_at,
        {
            "event_id": event.id,
            "team_id": event.team_id,
            "repository_id": event.repository_id,
            "subject": event.subject,
            "actor": event.actor,
            "detail": event.data,
        },
    )


def body(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> bytes:
    document = {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data}
    return json.dumps(
        document, separators=(",", ":"), ensure_ascii=False, default=_jsonable
    ).encode()


def _jsonable(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
