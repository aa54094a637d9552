"""Rules for events of HubDeck's own objects: dashboards, invitations, the pool, outgoing
webhooks, sessions.

These events belong to a team (``event.team_id``, which the context lists) or address one user
by id (``data["user_id"]``, whom the context lists in ``users``). See rules.py for the ``data``
each rule reads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications.context import Member, RuleContext, TeamContext
from hubdeck.core.notifications.model import NotificationDraft, NotificationKind
from hubdeck.core.notifications.support import (
    int_field,
    is_bot,
    make_draft,
    same_login,
    str_field,
)


def dashboard_shared(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """To the user granted access, or to every member of the team granted access."""
    team = ctx.team(event.team_id)
    dashboard_id = int_field(event.data, "dashboard_id")
    if team is None or dashboard_id is None:
        return []
    people: dict[int, str] = {}
    user_id = int_field(event.data, "user_id")
    login = None if user_id is None else ctx.login_of(user_id)
    if user_id is not None and login is not None:
        people[user_id] = login
    grantee = ctx.team(int_field(event.data, "grantee_team_id"))
    for member in () if grantee is None else grantee.members:
        people.setdefault(member.user_id, member.login)
    name = str_field(event.data, "title") or "a dashboard"
    role = str_field(event.data, "role")
    who = event.actor or "Someone"
    return [
        make_draft(
            event,
            NotificationKind.dashboard_shared,
            recipient=user,
            team_id=team.id,
            title=f"{who} shared the dashboard “{name}” with you",
            body="" if role is None else f"You are its {role}.",
            link=ctx.links.dashboard(team.id, dashboard_id),
            group_key=f"dashboard_shared:{team.id}",
            group_title=f"dashboards shared with you in {team.name}",
            group_link=ctx.links.dashboards(team.id),
        )
        for user, login in people.items()
        if not is_bot(login) and not same_login(login, event.actor)
    ]


def team_invitation(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    team = ctx.team(event.team_id)
    user_id = int_field(event.data, "user_id")
    login = None if user_id is None else ctx.login_of(user_id)
    if team is None or user_id is None or login is None or is_bot(login):
        return []
    if same_login(login, event.actor):
        return []
    role = str_field(event.data, "role")
    who = event.actor or "Someone"
    # The invitation's own page when the event carries it (an addressed invitation link).
    link = str_field(event.data, "join_path") or ctx.links.invitations()
    return [
        make_draft(
            event,
            NotificationKind.team_invitation,
            recipient=user_id,
            team_id=team.id,
            title=f"{who} invited you to join {team.name}",
            body="" if role is None else f"You would join as {role}.",
            link=link,
            group_key=f"team_invitation:{team.id}",
            group_title=f"invitations to join {team.name}",
            group_link=ctx.links.invitations(),
        )
    ]


def pool_low(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    return _pool(event, ctx, dry=False)


def pool_dry(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    return _pool(event, ctx, dry=True)


def _pool(event: DomainEvent, ctx: RuleContext, *, dry: bool) -> list[NotificationDraft]:
    """To the team's owners and admins: they are the ones who can add credentials."""
    team = ctx.team(event.team_id)
    if team is None:
        return []
    data = event.data
    bucket = str_field(data, "bucket") or "core"
    resets = _utc_minute(str_field(data, "resets_at"))
    remaining, limit = int_field(data, "remaining"), int_field(data, "limit")
    if dry:
        kind = NotificationKind.pool_dry
        title = f"{team.name}: the {bucket} quota has run out"
        body = "Sync pauses until the quota resets" + (f" at {resets}." if resets else ".")
        group_title = f"alerts: {team.name}'s {bucket} quota ran out"
    else:
        kind = NotificationKind.pool_low
        title = f"{team.name}: the {bucket} quota is running low"
        left = f"{remaining} of {limit} requests left" if None not in (remaining, limit) else ""
        body = "; ".join(p for p in (left, f"resets at {resets}" if resets else "") if p)
        group_title = f"warnings: {team.name}'s {bucket} quota is low"
    return [
        make_draft(
            event,
            kind,
            recipient=member.user_id,
            team_id=team.id,
            title=title,
            body=body,
            link=ctx.links.pool(team.id),
            group_key=f"{kind.value}:{team.id}:{bucket}",
            group_title=group_title,
            group_link=ctx.links.pool(team.id),
        )
        for member in _managers(team, actor=event.actor)
    ]


def webhook_disabled(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """To the team's owners and admins, except whoever disabled the endpoint by hand."""
    team = ctx.team(event.team_id)
    endpoint_id = int_field(event.data, "endpoint_id")
    if team is None or endpoint_id is None:
        return []
    url = str_field(event.data, "url") or f"endpoint {endpoint_id}"
    failures = int_field(event.data, "failures")
    reason = str_field(event.data, "reason") or (
        f"Disabled after {failures} failed deliveries." if failures else ""
    )
    return [
        make_draft(
            event,
            NotificationKind.webhook_disabled,
            recipient=member.user_id,
            team_id=team.id,
            title=f"Webhook endpoint disabled: {url}",
            body=reason,
            link=ctx.links.webhook_endpoint(team.id, endpoint_id),
            group_key=f"webhook_disabled:{team.id}",
            group_title=f"webhook endpoints disabled in {team.name}",
            group_link=ctx.links.webhooks(team.id),
        )
        for member in _managers(team, actor=event.actor)
    ]


def new_device(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """To the account's owner, even though they are the actor: it may not have been them."""
    user_id = int_field(event.data, "user_id")
    login = None if user_id is None else ctx.login_of(user_id)
    if user_id is None or login is None or is_bot(login):
        return []
    if event.data.get("new_device") is not True:
        return []
    device = str_field(event.data, "device") or str_field(event.data, "user_agent")
    ip = str_field(event.data, "ip")
    body = " ".join(p for p in (device or "An unknown device", f"from {ip}" if ip else "") if p)
    return [
        make_draft(
            event,
            NotificationKind.new_device,
            recipient=user_id,
            team_id=None,
            title="New sign-in to your account",
            body=f"{body}. Not you? Revoke the session.",
            link=ctx.links.sessions(),
            group_key=f"new_device:{user_id}",
            group_title="new sign-ins to your account",
            group_link=ctx.links.sessions(),
        )
    ]


def _managers(team: TeamContext, *, actor: str | None) -> list[Member]:
    return [
        m
        for m in team.members
        if m.manages and not is_bot(m.login) and not same_login(m.login, actor)
    ]


def _utc_minute(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def dashboard_mention(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """To each member of the dashboard's team that a comment @mentions (not its author), with
    a link that opens the dashboard on that comment."""
    team = ctx.team(event.team_id)
    dashboard_id = int_field(event.data, "dashboard_id")
    comment_id = int_field(event.data, "comment_id")
    if team is None or dashboard_id is None or comment_id is None:
        return []
    named = event.data.get("mention_ids")
    if not isinstance(named, list):
        return []
    members = {member.user_id: member for member in team.members}
    who = event.actor or "Someone"
    link = f"{ctx.links.dashboard(team.id, dashboard_id)}?comment={comment_id}"
    return [
        make_draft(
            event,
            NotificationKind.mentioned,
            recipient=user_id,
            team_id=team.id,
            title=f"{who} mentioned you on the dashboard “{event.subject}”",
            body=str_field(event.data, "excerpt") or "",
            link=link,
            group_key=f"dashboard_mentioned:{dashboard_id}",
            group_title=f"mentions of you on “{event.subject}”",
            group_link=ctx.links.dashboard(team.id, dashboard_id),
        )
        for user_id in dict.fromkeys(named)
        if isinstance(user_id, int)
        and user_id in members
        and not is_bot(members[user_id].login)
        and not same_login(members[user_id].login, event.actor)
    ]
