"""One event per rule, as the service would see it: used by the engine and property tests."""

from __future__ import annotations

from hubdeck.core.events import DomainEvent

from .factory import event, team_event

PR = {"number": 42, "title": "Add retries", "author": "alice"}


def sample_events() -> list[DomainEvent]:
    return [
        event("pull_request.review_requested", {**PR, "reviewers": ["bob"]}, actor="alice"),
        event("pull_request.merged", PR, actor="bob"),
        event("pull_request.closed", PR, actor="bob"),
        event("pull_request.reviewed", {"number": 42, "state": "APPROVED", "reviewer": "bob"}),
        event(
            "pull_request.reviewed",
            {"number": 42, "state": "CHANGES_REQUESTED", "reviewer": "bob"},
        ),
        event("comment.created", {"issue_number": 42, "comment_id": 1, "mentions": ["alice"]}),
        event(
            "workflow_run.failed",
            {"run_id": 1, "name": "CI", "branch": "main", "event": "push", "pull_numbers": []},
        ),
        team_event(
            "dashboard.shared", {"dashboard_id": 1, "title": "D", "user_id": 2}, actor="alice"
        ),
        team_event(
            "dashboard.commented",
            {"dashboard_id": 1, "comment_id": 7, "mention_ids": [2], "excerpt": "look"},
            actor="alice",
        ),
        team_event("team.invited", {"user_id": 20, "role": "member"}, actor="alice"),
        team_event("pool.low", {"bucket": "core", "remaining": 10, "limit": 5000}),
        team_event("pool.dry", {"bucket": "search", "remaining": 0, "limit": 30}),
        team_event("webhook_endpoint.disabled", {"endpoint_id": 5, "failures": 3}),
        team_event("session.created", {"user_id": 2, "new_device": True}),
        team_event(
            "pool.credential_revoked",
            {"user_id": 2, "credential": "service:1", "kind": "service", "label": "ci-bot"},
        ),
    ]
