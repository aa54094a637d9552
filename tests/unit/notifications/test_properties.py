"""Properties: collapsing never loses a count, bursts stay bounded, and rules only ever address
people the context lists (never a bot, never the actor of a self-inflicted event), whatever the
event data looks like."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications import (
    DEFAULT_WINDOW,
    RULES,
    Member,
    Notification,
    NotificationKind,
    RuleContext,
    TeamContext,
    collapse,
    drafts_for,
)
from hubdeck.core.users import Role

from .factory import T0, draft, row
from .test_collapse import apply

# -- collapsing --------------------------------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.integers(1, 3),  # recipient
        st.sampled_from(["workflow_failed:acme/api", "workflow_failed:acme/web", "mentioned:x"]),
        st.integers(0, 15 * 60),  # seconds since the previous draft
        st.sampled_from(["none", "read", "archive"]),  # what the user does before it arrives
    ),
    max_size=60,
)


@given(steps)
def test_collapsing_never_loses_a_count(script: list[tuple[int, str, int, str]]) -> None:
    rows: list[Notification] = []
    now = T0
    for recipient, group, gap, action in script:
        now += timedelta(seconds=gap)
        if rows and action != "none":
            last = rows[-1]
            field = "read_at" if action == "read" else "archived_at"
            rows[-1] = last.model_copy(update={field: now})
        apply(rows, collapse(rows, draft(recipient, group, at=now), now))
    assert sum(r.count for r in rows) == len(script)
    # at most one open row per recipient and group at any time
    open_rows = [
        (r.recipient_id, r.group_key)
        for r in rows
        if r.archived_at is None and now - r.created_at < DEFAULT_WINDOW
    ]
    assert len(open_rows) == len(set(open_rows))


@given(st.lists(st.integers(0, int(DEFAULT_WINDOW.total_seconds() * 1000) - 1), min_size=1))
def test_similar_drafts_within_the_window_make_exactly_one_row(offsets_ms: list[int]) -> None:
    rows: list[Notification] = []
    for ms in sorted(offsets_ms):
        now = T0 + timedelta(milliseconds=ms)
        apply(rows, collapse(rows, draft(at=now), now))
    assert [r.count for r in rows] == [len(offsets_ms)]


@given(
    prior_age_s=st.none() | st.integers(0, 3 * 600),
    offsets_ms=st.lists(st.integers(0, 10_000), min_size=50, max_size=50),
)
def test_fifty_drafts_in_ten_seconds_touch_at_most_two_rows(
    prior_age_s: int | None, offsets_ms: list[int]
) -> None:
    prior = (
        []
        if prior_age_s is None
        else [row(draft(), id=1, created=T0 - timedelta(seconds=prior_age_s))]
    )
    rows = list(prior)
    touched: set[int] = set()
    for ms in sorted(offsets_ms):
        now = T0 + timedelta(milliseconds=ms)
        touched.add(apply(rows, collapse(rows, draft(at=now), now)).id)
    assert len(touched) <= 2
    assert sum(r.count for r in rows) == 50 + len(prior)
    if len(touched) == 2:  # only when an older row's window closed during the burst
        assert prior_age_s is not None and 600 - 10 <= prior_age_s < 600


# -- rules --------------------------------------------------------------------------------------

PEOPLE = {1: "alice", 2: "bob", 3: "Carol", 4: "dave", 9: "ci[bot]"}
LOGINS = [*PEOPLE.values(), "ALICE", "mallory", "dependabot[bot]"]

members = st.lists(
    st.builds(
        lambda uid, role: Member(uid, PEOPLE[uid], role),
        st.sampled_from(sorted(PEOPLE)),
        st.sampled_from(list(Role)),
    ),
    unique_by=lambda m: m.user_id,
    min_size=1,
)
branches = st.sampled_from([{7: "main"}, {7: "dev", 8: "main"}, {}])


@st.composite
def contexts(draw: st.DrawFn) -> RuleContext:
    teams = {
        tid: TeamContext(
            tid,
            f"team {tid}",
            tuple(draw(members)),
            draw(branches),
        )
        for tid in draw(st.sets(st.integers(1, 3), min_size=1))
    }
    return RuleContext(
        teams=teams,
        following=tuple(draw(st.sets(st.sampled_from(sorted(teams)), min_size=1))),
        users={u: PEOPLE.get(u, "erin") for u in draw(st.sets(st.sampled_from([2, 9, 20])))},
        pull_authors=draw(st.dictionaries(st.integers(1, 5), st.sampled_from(LOGINS))),
    )


values: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 30),
    st.sampled_from(
        [*LOGINS, "main", "dev", "push", "pull_request", "APPROVED", "CHANGES_REQUESTED"]
    ),
    st.text(max_size=5),
    st.lists(st.sampled_from(LOGINS), max_size=4),
    st.lists(st.integers(0, 6), max_size=3),
    st.just("2026-03-02T10:30:00+00:00"),
)
KEYS = sorted(
    {
        "number", "title", "author", "reviewers", "state", "reviewer", "run_id", "name",
        "branch", "event", "pull_numbers", "issue_number", "mentions", "dashboard_id", "role",
        "user_id", "grantee_team_id", "bucket", "remaining", "limit", "resets_at",
        "endpoint_id", "url", "reason", "failures", "new_device", "device", "ip", "repository",
    }
)  # fmt: skip


login = st.sampled_from(LOGINS)
logins = st.lists(login, max_size=4)
small = st.integers(1, 5)
users = st.sampled_from([1, 2, 3, 4, 9, 20, 99])

# Plausible data per event type; the property then spoils some of it with junk.
PLAUSIBLE: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "pull_request.review_requested": {"number": small, "author": login, "reviewers": logins},
    "pull_request.merged": {"number": small, "author": login},
    "pull_request.closed": {"number": small, "author": login},
    "pull_request.reviewed": {
        "number": small,
        "state": st.sampled_from(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"]),
        "reviewer": login,
    },
    "workflow_run.failed": {
        "run_id": small,
        "name": st.just("CI"),
        "branch": st.sampled_from(["main", "dev", "fix"]),
        "event": st.sampled_from(["push", "pull_request", "schedule"]),
        "pull_numbers": st.lists(small, max_size=2),
    },
    "comment.created": {"issue_number": small, "mentions": logins},
    "dashboard.shared": {
        "dashboard_id": small,
        "title": st.just("D"),
        "user_id": users,
        "grantee_team_id": st.integers(1, 3),
    },
    "dashboard.commented": {
        "dashboard_id": small,
        "comment_id": small,
        "mention_ids": st.lists(users, max_size=3),
        "excerpt": st.just("hi"),
    },
    "team.invited": {"user_id": users, "role": st.just("member")},
    "pool.low": {"bucket": st.just("core"), "remaining": small, "limit": small},
    "pool.dry": {"bucket": st.just("core"), "resets_at": st.just("2026-03-02T10:30:00+00:00")},
    "webhook_endpoint.disabled": {"endpoint_id": small, "failures": small},
    "session.created": {"user_id": users, "new_device": st.booleans()},
    "pool.credential_revoked": {
        "user_id": users,
        "kind": st.sampled_from(["app", "service", "member"]),
        "label": st.just("ci-bot"),
    },
}


@st.composite
def events(draw: st.DrawFn) -> DomainEvent:
    type_ = draw(st.sampled_from([r.event_type for r in RULES]))
    data = {"repository": "acme/api", **draw(st.fixed_dictionaries(PLAUSIBLE[type_]))}
    if draw(st.booleans()):
        data.update(draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3)))
    return DomainEvent.model_construct(
        id="e1",
        type=type_,
        occurred_at=T0,
        team_id=draw(st.sampled_from([None, 1, 2, 3])),
        repository_id=draw(st.sampled_from([None, 7, 7, 8])),
        subject=draw(st.sampled_from(["", "acme/api#3", "acme/api run 5", "#3"])),
        actor=draw(st.none() | login),
        data=data,
    )


# Kinds sent to the actor on purpose: a failure you caused, your own new sign-in.
TO_ACTOR_TOO = {NotificationKind.workflow_failed, NotificationKind.new_device}


@settings(max_examples=300)
@given(events(), contexts())
def test_rules_address_only_the_contexts_people_never_bots_nor_the_actor(
    event: DomainEvent, ctx: RuleContext
) -> None:
    allowed = ctx.user_ids()
    for rule in RULES:
        if rule.event_type != event.type:
            continue
        for d in rule.produce(event, ctx):  # each rule on its own, without the engine's guard
            login = ctx.login_of(d.recipient_id)
            assert d.recipient_id in allowed
            assert login is not None and not login.endswith("[bot]")
            if d.kind not in TO_ACTOR_TOO and event.actor is not None:
                assert login.casefold() != event.actor.casefold()
            assert d.event_id == event.id and d.group_link and d.link
    assert {d.recipient_id for d in drafts_for(event, ctx)} <= allowed
