"""Domain events: every change, whatever its source, becomes one of these (ARCHITECTURE §3).

An event carries the delta, not the whole object. Events about GitHub data belong to a
repository (every team following it sees them); events of HubDeck's own objects belong to a team.
Handlers are idempotent by ``id``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Every event type HubDeck emits, with what it means; docs/events.md documents each (tested).
EVENT_TYPES: dict[str, str] = {
    "repository.synced": "A followed repository was synced for the first time (a baseline).",
    "repository.updated": "Repository metadata changed (description, topics, default branch…).",
    "repository.starred": "The repository gained stars.",
    "repository.followed": "A team started following the repository.",
    "repository.unfollowed": "A team stopped following the repository.",
    "pull_request.opened": "A pull request was opened.",
    "pull_request.updated": "A pull request changed (title, labels, size, new commits…).",
    "pull_request.closed": "A pull request was closed without being merged.",
    "pull_request.reopened": "A closed pull request was reopened.",
    "pull_request.merged": "A pull request was merged.",
    "pull_request.ready_for_review": "A draft pull request was marked ready for review.",
    "pull_request.converted_to_draft": "A pull request was turned back into a draft.",
    "pull_request.review_requested": "Reviews were requested from one or more people.",
    "pull_request.reviewed": "A review was submitted (approved, changes requested, commented).",
    "issue.opened": "An issue was opened.",
    "issue.updated": "An issue changed (title, comments count…).",
    "issue.closed": "An issue was closed.",
    "issue.reopened": "A closed issue was reopened.",
    "issue.labeled": "Labels were added to an issue.",
    "comment.created": "A comment was added to an issue or pull request.",
    "workflow_run.succeeded": "A workflow run completed successfully.",
    "workflow_run.failed": "A workflow run completed with a failure.",
    "workflow_run.updated": "A workflow run started, or ended cancelled or skipped.",
    "commit.pushed": "New commits arrived on the repository.",
    "release.published": "A release was published.",
    "github.event": "A GitHub webhook event HubDeck does not model, kept as activity.",
    "team.invited": "Someone was invited to a team by name (they are notified).",
    "session.created": "Someone signed in; `new_device` when the account never used that device.",
    "team.member_joined": "Someone joined a team through an invitation.",
    "team.role_changed": "A member's role in a team changed.",
    "team.member_removed": "A member was removed from a team, or left it (`left`).",
    "dashboard.shared": "A dashboard was shared with a person or a team (they are notified).",
    "dashboard.edited": "A dashboard got a new version (an edit or a restore), with its summary.",
    "dashboard.commented": "Someone commented on a dashboard or one of its widgets.",
    "dashboard.unshared": "A person's or a team's access to a dashboard was withdrawn.",
    "webhook_endpoint.created": "A webhook endpoint was added (its URL; never its secret).",
    "webhook_endpoint.updated": "A webhook endpoint was changed (`changed`: which fields).",
    "webhook_endpoint.deleted": "An outgoing webhook endpoint was removed.",
    "webhook_endpoint.secret_rotated": "An outgoing webhook endpoint's signing secret was rotated.",
    "session.revoked": "Someone signed one of their devices, or all their other ones, out.",
    "pool.credential_added": "An admin added a credential to the team's GitHub quota pool.",
    "pool.credential_removed": "An admin removed a credential from the team's GitHub quota pool.",
    "webhook_endpoint.disabled": "An outgoing webhook endpoint was disabled (410 Gone or failing).",
    "annotation.created": "An incoming webhook posted an annotation onto the team's dashboards.",
    "custom_metric.recorded": "An incoming webhook posted a point of a custom metric.",
    "pool.low": "The team's shared GitHub quota fell below 10 % (owners and admins are told).",
    "pool.dry": "The team's shared GitHub quota ran out; requests wait for the reset.",
    "pool.credential_revoked": "GitHub refused a pool credential (401): it left the pool.",
}


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    occurred_at: datetime
    team_id: int | None = None
    repository_id: int | None = None
    subject: str = ""
    actor: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value!r}")
        return value

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        return value


# Data that only the event's consumers read (a notification to one person) and that is never
# shown to a whole team in the activity feed or on its live channels: an invitation's link
# would let any member of the team join in the invitee's place, or hand it on.
PRIVATE_DATA: dict[str, frozenset[str]] = {"team.invited": frozenset({"join_path"})}


def shared_view(event: DomainEvent) -> DomainEvent:
    """The event as a team sees it: without its private data."""
    private = PRIVATE_DATA.get(event.type)
    if not private or not private & event.data.keys():
        return event
    data = {key: value for key, value in event.data.items() if key not in private}
    return event.model_copy(update={"data": data})
