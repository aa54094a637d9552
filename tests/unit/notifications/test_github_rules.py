"""One test per rule on GitHub events, with its negatives: not to yourself, not to bots, not to
people outside the teams following the repository."""

from __future__ import annotations

import pytest

from hubdeck.core.notifications import (
    Level,
    NotificationKind,
    RuleFunction,
    TeamContext,
    drafts_for,
)
from hubdeck.core.notifications import github_rules as rules

from .factory import PLATFORM, REPO, REPO_ID, WEB, ctx, event, recipients

PR = {"number": 42, "title": "Add retries", "author": "alice"}


# review requested ---------------------------------------------------------------------------


def test_review_requested_notifies_each_reviewer_through_each_team() -> None:
    e = event("pull_request.review_requested", {**PR, "reviewers": ["bob", "carol"]}, actor="alice")
    drafts = rules.review_requested(e, ctx())
    assert recipients(drafts) == [(2, 3), (3, 3), (2, 4)]
    first = drafts[0]
    assert first.kind is NotificationKind.review_requested
    assert first.level is Level.info
    assert first.title == "alice requested your review on acme/api#42"
    assert first.body == "Add retries"
    assert first.link == "/teams/3/repositories/7?pull=42"
    assert first.group_key == f"review_requested:{REPO}"
    assert first.group_link == "/teams/3/repositories/7"
    assert (first.actor, first.subject, first.event_id) == ("alice", "acme/api#42", e.id)
    assert first.occurred_at == e.occurred_at
    assert drafts[2].link == "/teams/4/repositories/7?pull=42"


def test_review_requested_not_when_you_requested_it_yourself() -> None:
    e = event("pull_request.review_requested", {**PR, "reviewers": ["ALICE", "bob"]}, actor="alice")
    assert {d.recipient_id for d in rules.review_requested(e, ctx())} == {2}


def test_review_requested_not_for_bots_nor_strangers() -> None:
    e = event(
        "pull_request.review_requested",
        {**PR, "reviewers": ["deploy[bot]", "copilot[bot]", "mallory"]},
        actor="alice",
    )
    assert rules.review_requested(e, ctx()) == []


def test_review_requested_without_a_number_notifies_nobody() -> None:
    e = event("pull_request.review_requested", {"reviewers": ["bob"]}, actor="alice")
    assert rules.review_requested(e, ctx()) == []


# merged and closed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type", "rule", "kind", "verb"),
    [
        ("pull_request.merged", rules.pull_merged, NotificationKind.pull_merged, "merged"),
        ("pull_request.closed", rules.pull_closed, NotificationKind.pull_closed, "closed"),
    ],
)
def test_your_pull_request_merged_or_closed(
    type: str, rule: RuleFunction, kind: NotificationKind, verb: str
) -> None:
    drafts = rule(event(type, PR, actor="bob"), ctx())
    assert recipients(drafts) == [(1, 3)]
    assert drafts[0].kind is kind
    assert drafts[0].title == f"Your pull request acme/api#42 was {verb} by bob"
    assert drafts[0].group_key == f"{kind.value}:{REPO}"
    # ingest does not know who merged: the author still hears of it
    assert rule(event(type, PR), ctx())[0].title == f"Your pull request acme/api#42 was {verb}"


@pytest.mark.parametrize("rule", [rules.pull_merged, rules.pull_closed])
def test_merged_or_closed_not_when_you_did_it_yourself(rule: RuleFunction) -> None:
    assert rule(event("pull_request.merged", PR, actor="Alice"), ctx()) == []


@pytest.mark.parametrize("rule", [rules.pull_merged, rules.pull_closed])
def test_merged_or_closed_not_for_bots(rule: RuleFunction) -> None:
    bot_pull = {**PR, "author": "deploy[bot]"}  # a member of Platform, but a bot
    assert rule(event("pull_request.merged", bot_pull, actor="bob"), ctx()) == []


# reviewed -----------------------------------------------------------------------------------


def test_approval_goes_to_the_author_found_in_the_context() -> None:
    e = event(
        "pull_request.reviewed", {"number": 42, "state": "APPROVED", "reviewer": "bob"}, actor="bob"
    )
    drafts = rules.pull_reviewed(e, ctx())
    assert recipients(drafts) == [(1, 3)]
    assert drafts[0].kind is NotificationKind.pull_approved
    assert drafts[0].title == "bob approved your pull request acme/api#42"


def test_changes_requested_is_a_warning_to_the_author() -> None:
    e = event(
        "pull_request.reviewed",
        {"number": 44, "state": "CHANGES_REQUESTED", "reviewer": "bob"},
        subject=f"{REPO}#44",
    )
    drafts = rules.pull_reviewed(e, ctx())
    assert recipients(drafts) == [(4, 4)]  # dave, through Web
    assert drafts[0].kind is NotificationKind.changes_requested
    assert drafts[0].level is Level.warning
    assert drafts[0].title == "bob requested changes on your pull request acme/api#44"


def test_review_data_author_wins_over_the_context() -> None:
    data = {"number": 42, "state": "APPROVED", "reviewer": "bob", "author": "dave"}
    assert recipients(rules.pull_reviewed(event("pull_request.reviewed", data), ctx())) == [(4, 4)]


def test_review_not_when_you_reviewed_your_own_pull_request() -> None:
    for state in ("APPROVED", "CHANGES_REQUESTED"):
        data = {"number": 42, "state": state, "reviewer": "alice"}
        assert rules.pull_reviewed(event("pull_request.reviewed", data, actor="alice"), ctx()) == []


def test_review_comments_and_unknown_authors_notify_nobody() -> None:
    commented = {"number": 42, "state": "COMMENTED", "reviewer": "bob"}
    assert rules.pull_reviewed(event("pull_request.reviewed", commented), ctx()) == []
    unknown = {"number": 99, "state": "APPROVED", "reviewer": "bob"}
    assert rules.pull_reviewed(event("pull_request.reviewed", unknown), ctx()) == []
    bot = {"number": 43, "state": "APPROVED", "reviewer": "bob"}  # dependabot's pull request
    assert rules.pull_reviewed(event("pull_request.reviewed", bot), ctx()) == []


# workflow failed ----------------------------------------------------------------------------

RUN = {
    "run_id": 555,
    "name": "CI",
    "branch": "main",
    "event": "push",
    "status": "completed",
    "conclusion": "failure",
    "pull_numbers": [],
}


def test_failure_on_the_default_branch_goes_to_every_member_of_each_following_team() -> None:
    e = event("workflow_run.failed", RUN, actor="alice", subject=f"{REPO} run 555")
    drafts = rules.workflow_failed(e, ctx())
    # the bot member gets nothing; the viewer does; alice does although she pushed
    assert recipients(drafts) == [(1, 3), (2, 3), (3, 3), (5, 3), (2, 4), (4, 4)]
    assert {d.level for d in drafts} == {Level.error}
    assert drafts[0].title == "CI failed on main in acme/api"
    assert drafts[0].link == "/teams/3/repositories/7?run=555"
    assert drafts[0].group_key == f"workflow_failed:{REPO}"
    assert drafts[0].group_title == "workflow runs failed in acme/api"


def test_failure_on_another_branch_notifies_nobody() -> None:
    e = event("workflow_run.failed", {**RUN, "branch": "feature/x"})
    assert rules.workflow_failed(e, ctx()) == []


def test_each_team_watches_its_own_default_branch() -> None:
    teams = {3: PLATFORM, 4: TeamContext(4, "Web", WEB.members, {REPO_ID: "develop"})}
    e = event("workflow_run.failed", {**RUN, "branch": "develop"})
    assert recipients(rules.workflow_failed(e, ctx(teams=teams))) == [(2, 4), (4, 4)]


def test_failure_on_a_pull_request_goes_to_its_author_only() -> None:
    data = {**RUN, "branch": "retries", "event": "pull_request", "pull_numbers": [42]}
    drafts = rules.workflow_failed(event("workflow_run.failed", data, actor="alice"), ctx())
    assert recipients(drafts) == [(1, 3)]
    assert drafts[0].title == "CI failed on your pull request acme/api#42"
    assert drafts[0].link == "/teams/3/repositories/7?pull=42"
    assert drafts[0].level is Level.error


def test_a_fork_pull_request_from_its_main_branch_does_not_alert_the_team() -> None:
    # GitHub lists no pull request for runs from forks; the trigger says it was one.
    data = {**RUN, "event": "pull_request", "pull_numbers": []}
    assert rules.workflow_failed(event("workflow_run.failed", data), ctx()) == []


def test_failure_on_a_bots_pull_request_notifies_nobody() -> None:
    data = {**RUN, "branch": "deps", "event": "pull_request", "pull_numbers": [43]}
    assert rules.workflow_failed(event("workflow_run.failed", data), ctx()) == []


# mentioned ----------------------------------------------------------------------------------

COMMENT = {"issue_number": 42, "comment_id": 9001}


def test_mentioned_in_a_comment() -> None:
    e = event("comment.created", {**COMMENT, "mentions": ["dave", "carol"]}, actor="bob")
    drafts = rules.mentioned(e, ctx())
    assert recipients(drafts) == [(3, 3), (4, 4)]
    assert drafts[0].kind is NotificationKind.mentioned
    assert drafts[0].title == "bob mentioned you in acme/api#42"
    assert drafts[0].link == "/teams/3/repositories/7?issue=42"
    assert drafts[0].group_key == f"mentioned:{REPO}"


def test_mentioning_yourself_bots_or_strangers_notifies_nobody() -> None:
    e = event(
        "comment.created",
        {**COMMENT, "mentions": ["bob", "deploy[bot]", "mallory"]},
        actor="BOB",
    )
    assert rules.mentioned(e, ctx()) == []


def test_comments_without_mentions_notify_nobody() -> None:
    assert rules.mentioned(event("comment.created", COMMENT, actor="bob"), ctx()) == []


def test_a_repository_nobody_follows_notifies_nobody() -> None:
    e = event("comment.created", {**COMMENT, "mentions": ["dave"]}, actor="bob")
    assert drafts_for(e, ctx(following=())) == []
