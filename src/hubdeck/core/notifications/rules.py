"""The notification rules engine: which events notify whom.

A rule is a function ``(event, context) -> list[NotificationDraft]``; ``RULES`` pairs each with
the event type it handles, and ``drafts_for`` runs the ones that match. A new notification is
one function (in github_rules.py, team_rules.py or a new module) plus one entry in ``RULES``.

The ``data`` each rule reads (GitHub events also carry ``repository``: "owner/name", added by
ingest; a missing or malformed field means no notification, never an error):

- ``pull_request.review_requested``: number, title, author, reviewers: [login].
- ``pull_request.merged``, ``pull_request.closed``: number, title, author; actor: who merged or
  closed it, when known.
- ``pull_request.reviewed``: number, state (APPROVED | CHANGES_REQUESTED | COMMENTED), reviewer;
  the author is ``data["author"]`` when present, else ``context.pull_authors[number]``.
- ``workflow_run.failed``: run_id, name, branch, event (what triggered the run), pull_numbers;
  those pull requests' authors come from ``context.pull_authors``.
- ``comment.created``: issue_number, mentions: [login] (to come with comments), excerpt
  (optional); actor: the comment's author.
- ``dashboard.shared`` *: dashboard_id, title, role, and user_id (a user grant) or
  grantee_team_id (a team grant); actor: who shared it.
- ``dashboard.commented``: dashboard_id, comment_id, thread_id, widget_id, mentions: [login],
  mention_ids: [user id] (members of the team the comment names), excerpt; subject: the
  dashboard's title; actor: the comment's author.
- ``team.invited``: user_id (the invitee, an existing HubDeck user), role, join_path (the
  invitation's page); actor: the inviter.
- ``pool.low``, ``pool.dry`` *: bucket (core | graphql | search), remaining, limit, resets_at
  (ISO 8601 with an offset).
- ``webhook_endpoint.disabled`` *: endpoint_id, url, reason and/or failures (consecutive failed
  deliveries); actor: who disabled it by hand, None when HubDeck did.
- ``pool.credential_revoked``: user_id (the credential's owner: the member whose token it is,
  or who added a shared one), credential, kind (app | service | member), label.
- ``session.created``: user_id, new_device (true only for a device not seen before on that
  account, never for its first sign-in), device (e.g. "Firefox on Linux") or user_agent, ip.

``*``: not emitted yet; add each to ``EVENT_TYPES`` (core/events.py) when its feature emits it.
Events of HubDeck objects carry their ``team_id``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications import github_rules, pool_rules, team_rules
from hubdeck.core.notifications.context import RuleContext
from hubdeck.core.notifications.model import NotificationDraft

RuleFunction = Callable[[DomainEvent, RuleContext], list[NotificationDraft]]


@dataclass(frozen=True, slots=True)
class Rule:
    event_type: str
    produce: RuleFunction


RULES: tuple[Rule, ...] = (
    Rule("pull_request.review_requested", github_rules.review_requested),
    Rule("pull_request.merged", github_rules.pull_merged),
    Rule("pull_request.closed", github_rules.pull_closed),
    Rule("pull_request.reviewed", github_rules.pull_reviewed),
    Rule("workflow_run.failed", github_rules.workflow_failed),
    Rule("comment.created", github_rules.mentioned),
    Rule("dashboard.shared", team_rules.dashboard_shared),
    Rule("dashboard.commented", team_rules.dashboard_mention),
    Rule("team.invited", team_rules.team_invitation),
    Rule("pool.low", team_rules.pool_low),
    Rule("pool.dry", team_rules.pool_dry),
    Rule("webhook_endpoint.disabled", team_rules.webhook_disabled),
    Rule("session.created", team_rules.new_device),
    Rule("pool.credential_revoked", pool_rules.credential_revoked),
)


def drafts_for(
    event: DomainEvent, context: RuleContext, rules: Iterable[Rule] = RULES
) -> list[NotificationDraft]:
    """Every draft the matching rules produce for ``event``, in rule order.

    Drafts to someone the context does not list are dropped (rules do not produce them; this is
    the last guard against notifying a stranger), and so are repeats of the same recipient, kind
    and team.
    """
    allowed = context.user_ids()
    seen: set[tuple[int, str, int | None]] = set()
    drafts: list[NotificationDraft] = []
    for rule in rules:
        if rule.event_type != event.type:
            continue
        for draft in rule.produce(event, context):
            key = (draft.recipient_id, draft.kind.value, draft.team_id)
            if draft.recipient_id in allowed and key not in seen:
                seen.add(key)
                drafts.append(draft)
    return drafts


def handled_event_types(rules: Iterable[Rule] = RULES) -> frozenset[str]:
    """The event types that can notify: the bus consumer may skip the others without loading
    any context."""
    return frozenset(rule.event_type for rule in rules)
