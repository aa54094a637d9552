"""One test per rule on HubDeck's own events (not emitted yet: built as they will come)."""

from __future__ import annotations

from hubdeck.core.notifications import Level, NotificationKind, RuleContext
from hubdeck.core.notifications import team_rules as rules

from .factory import PLATFORM, WEB, ctx, recipients, team_event

# The context the service builds for a team event: the event's team, a grantee team, and the
# users the event addresses by id.
OUTSIDER = 20


def team_ctx(**changes: object) -> RuleContext:
    values: dict[str, object] = {
        "teams": {3: PLATFORM, 4: WEB},
        "following": (),
        "users": {OUTSIDER: "erin"},
    }
    values.update(changes)
    return ctx(**values)


# dashboard shared ---------------------------------------------------------------------------

DASH = {"dashboard_id": 11, "title": "Delivery", "role": "editor"}


def test_dashboard_shared_with_a_user() -> None:
    e = team_event("dashboard.shared", {**DASH, "user_id": OUTSIDER}, actor="alice")
    drafts = rules.dashboard_shared(e, team_ctx())
    assert recipients(drafts) == [(OUTSIDER, 3)]
    assert drafts[0].kind is NotificationKind.dashboard_shared
    assert drafts[0].title == "alice shared the dashboard “Delivery” with you"
    assert drafts[0].body == "You are its editor."
    assert drafts[0].link == "/dashboards/11"
    assert drafts[0].group_link == "/dashboards"


def test_dashboard_shared_with_a_team_reaches_its_members_but_not_the_sharer() -> None:
    e = team_event("dashboard.shared", {**DASH, "grantee_team_id": 4}, actor="bob")
    assert recipients(rules.dashboard_shared(e, team_ctx())) == [(4, 3)]


def test_dashboard_shared_with_an_unknown_user_or_yourself_notifies_nobody() -> None:
    unknown = team_event("dashboard.shared", {**DASH, "user_id": 999}, actor="alice")
    assert rules.dashboard_shared(unknown, team_ctx()) == []
    yourself = team_event("dashboard.shared", {**DASH, "user_id": 1}, actor="alice")
    assert rules.dashboard_shared(yourself, team_ctx()) == []
    bot = team_event("dashboard.shared", {**DASH, "user_id": 9}, actor="alice")
    assert rules.dashboard_shared(bot, team_ctx()) == []


# team invitation ----------------------------------------------------------------------------


def test_team_invitation_reaches_the_invitee() -> None:
    e = team_event("team.invited", {"user_id": OUTSIDER, "role": "member"}, actor="alice")
    drafts = rules.team_invitation(e, team_ctx())
    assert recipients(drafts) == [(OUTSIDER, 3)]
    assert drafts[0].title == "alice invited you to join Platform"
    assert drafts[0].body == "You would join as member."
    assert drafts[0].link == "/invitations"


def test_team_invitation_not_to_yourself_nor_to_unknown_users() -> None:
    ctx_ = team_ctx(users={OUTSIDER: "erin", 21: "ci[bot]"})
    assert (
        rules.team_invitation(team_event("team.invited", {"user_id": OUTSIDER}, actor="Erin"), ctx_)
        == []
    )
    assert (
        rules.team_invitation(team_event("team.invited", {"user_id": 77}, actor="alice"), ctx_)
        == []
    )
    assert (
        rules.team_invitation(team_event("team.invited", {"user_id": 21}, actor="alice"), ctx_)
        == []
    )


# pool ---------------------------------------------------------------------------------------

POOL = {"bucket": "core", "remaining": 120, "limit": 5000, "resets_at": "2026-03-02T10:30:00+01:00"}


def test_pool_low_warns_owners_and_admins() -> None:
    drafts = rules.pool_low(team_event("pool.low", POOL), team_ctx())
    assert recipients(drafts) == [(1, 3), (3, 3)]  # alice (owner), Carol (admin); not the bot
    assert drafts[0].kind is NotificationKind.pool_low
    assert drafts[0].level is Level.warning
    assert drafts[0].title == "Platform: the core quota is running low"
    assert drafts[0].body == "120 of 5000 requests left; resets at 2026-03-02 09:30 UTC"
    assert drafts[0].link == "/teams/3/pool"
    assert drafts[0].group_key == "pool_low:3:core"


def test_pool_dry_is_an_error() -> None:
    drafts = rules.pool_dry(team_event("pool.dry", {**POOL, "remaining": 0}), team_ctx())
    assert recipients(drafts) == [(1, 3), (3, 3)]
    assert drafts[0].level is Level.error
    assert drafts[0].title == "Platform: the core quota has run out"
    assert drafts[0].body == "Sync pauses until the quota resets at 2026-03-02 09:30 UTC."


def test_pool_events_of_an_unknown_team_or_with_odd_data_stay_calm() -> None:
    assert rules.pool_low(team_event("pool.low", POOL), team_ctx(teams={})) == []
    odd = rules.pool_dry(team_event("pool.dry", {"resets_at": "soon"}), team_ctx())
    assert odd[0].body == "Sync pauses until the quota resets."


# webhook endpoint disabled ------------------------------------------------------------------

HOOK = {"endpoint_id": 5, "url": "https://ci.example.com/hook", "failures": 20}


def test_webhook_disabled_tells_the_managers() -> None:
    drafts = rules.webhook_disabled(team_event("webhook_endpoint.disabled", HOOK), team_ctx())
    assert recipients(drafts) == [(1, 3), (3, 3)]
    assert drafts[0].level is Level.error
    assert drafts[0].title == "Webhook endpoint disabled: https://ci.example.com/hook"
    assert drafts[0].body == "Disabled after 20 failed deliveries."
    assert drafts[0].link == "/teams/3/webhooks/5"


def test_webhook_disabled_by_hand_not_to_the_one_who_did_it() -> None:
    e = team_event(
        "webhook_endpoint.disabled", {**HOOK, "reason": "Paused for maintenance."}, actor="carol"
    )
    drafts = rules.webhook_disabled(e, team_ctx())
    assert recipients(drafts) == [(1, 3)]
    assert drafts[0].body == "Paused for maintenance."


# new device ---------------------------------------------------------------------------------

SESSION = {"user_id": 2, "new_device": True, "device": "Firefox on Linux", "ip": "203.0.113.9"}


def test_new_device_warns_the_account_owner_even_though_they_are_the_actor() -> None:
    e = team_event("session.created", SESSION, actor="bob")
    drafts = rules.new_device(e, team_ctx(teams={}, users={2: "bob"}))
    assert recipients(drafts) == [(2, None)]
    assert drafts[0].kind is NotificationKind.new_device
    assert drafts[0].level is Level.warning
    assert drafts[0].body == "Firefox on Linux from 203.0.113.9. Not you? Revoke the session."
    assert drafts[0].link == "/settings/sessions"


def test_known_devices_unknown_users_and_bots_are_quiet() -> None:
    ctx_ = team_ctx(teams={}, users={2: "bob", 9: "deploy[bot]"})
    bot = team_event("session.created", {**SESSION, "user_id": 9})
    assert rules.new_device(bot, ctx_) == []
    known = team_event("session.created", {**SESSION, "new_device": False})
    assert rules.new_device(known, ctx_) == []
    unknown = team_event("session.created", {**SESSION, "user_id": 3})
    assert rules.new_device(unknown, ctx_) == []
