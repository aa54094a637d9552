"""The rules engine: matching, guards, extension by one function and one entry, and what the
service must load for an event."""

from __future__ import annotations

from hubdeck.core.events import EVENT_TYPES, DomainEvent
from hubdeck.core.notifications import (
    RULES,
    ContextNeeds,
    NotificationDraft,
    NotificationKind,
    Rule,
    RuleContext,
    RuleFunction,
    drafts_for,
    handled_event_types,
    needs,
)
from hubdeck.core.notifications.support import make_draft

from .factory import T0, ctx, event, recipients, team_event
from .samples import sample_events

# Not emitted yet: each feature adds its type to EVENT_TYPES (and docs/events.md) when it ships.
UPCOMING = {
    "dashboard.shared",
    "team.invited",
    "pool.low",
    "pool.dry",
    "webhook_endpoint.disabled",
    "session.created",
}


def full_ctx() -> RuleContext:
    return ctx(users={20: "erin"})


def test_every_kind_has_a_rule_that_produces_it() -> None:
    kinds = {d.kind for e in sample_events() for d in drafts_for(e, full_ctx())}
    # Digests come from the schedule (digest.py), not from an event.
    assert kinds == set(NotificationKind) - {NotificationKind.digest}


def test_rules_handle_known_or_announced_event_types() -> None:
    assert handled_event_types() <= set(EVENT_TYPES) | UPCOMING


def test_only_the_matching_rules_run() -> None:
    assert drafts_for(event("pull_request.opened", {"number": 1}), full_ctx()) == []


def test_a_real_ingested_event_notifies() -> None:
    e = DomainEvent(
        type="pull_request.merged",
        occurred_at=T0,
        repository_id=7,
        subject="acme/api#42",
        data={"repository": "acme/api", "number": 42, "title": "Add retries", "author": "alice"},
    )
    assert recipients(drafts_for(e, ctx())) == [(1, 3)]


def _anyone(user_id: int) -> RuleFunction:
    def rule(e: DomainEvent, _: RuleContext) -> list[NotificationDraft]:
        return [
            make_draft(
                e,
                NotificationKind.pull_merged,
                recipient=user_id,
                team_id=3,
                title="t",
                link="/",
                group_key="g",
                group_title="g",
                group_link="/",
            )
        ]

    return rule


def test_a_new_rule_is_one_function_and_one_entry() -> None:
    rules = (*RULES, Rule("repository.starred", _anyone(2)))
    e = event("repository.starred", {"stars": 10, "added": 1})
    assert recipients(drafts_for(e, ctx(), rules)) == [(2, 3)]
    assert "repository.starred" in handled_event_types(rules)


def test_drafts_to_strangers_are_dropped_and_repeats_merged() -> None:
    rules = (
        Rule("repository.starred", _anyone(999)),
        Rule("repository.starred", _anyone(2)),
        Rule("repository.starred", _anyone(2)),
    )
    e = event("repository.starred", {})
    assert recipients(drafts_for(e, ctx(), rules)) == [(2, 3)]


def test_needs_of_github_events() -> None:
    reviewed = event("pull_request.reviewed", {"number": 42, "state": "APPROVED"})
    assert needs(reviewed) == ContextNeeds(followers_of=7, pull_numbers=(42,))
    failed = event("workflow_run.failed", {"pull_numbers": [42, 43, 42]})
    assert needs(failed) == ContextNeeds(followers_of=7, pull_numbers=(42, 43))
    assert needs(event("pull_request.merged", {"number": 1})) == ContextNeeds(followers_of=7)


def test_needs_of_team_events() -> None:
    shared = team_event("dashboard.shared", {"dashboard_id": 1, "grantee_team_id": 4})
    assert needs(shared) == ContextNeeds(team_ids=(3, 4))
    invited = team_event("team.invited", {"user_id": 20})
    assert needs(invited) == ContextNeeds(team_ids=(3,), user_ids=(20,))


def test_context_lookups() -> None:
    c = ctx(following=(4, 3, 99), users={20: "erin"})
    assert [t.id for t in c.followers()] == [3, 4]  # by id; an unloaded team is ignored
    assert c.is_pull_author(42, "ALICE") and not c.is_pull_author(42, "bob")
    assert c.pull_author(99) is None
    assert c.default_branch(3, 7) == "main" and c.default_branch(3, 8) is None
    assert (c.login_of(3), c.login_of(20), c.login_of(77)) == ("Carol", "erin", None)
    assert c.user_ids() == {1, 2, 3, 4, 5, 9, 20}
    platform = c.team(3)
    assert platform is not None and platform.member("carol") == platform.members[2]
    assert platform.member("deploy[bot]") is None
