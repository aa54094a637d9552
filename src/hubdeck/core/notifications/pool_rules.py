"""Rules for the rate-limit pool's credentials (``pool.low`` and ``pool.dry`` are in
team_rules.py)."""

from __future__ import annotations

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications.context import RuleContext
from hubdeck.core.notifications.model import NotificationDraft, NotificationKind
from hubdeck.core.notifications.support import (
    int_field,
    is_bot,
    make_draft,
    same_login,
    str_field,
)


def credential_revoked(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """To the credential's owner, and for a shared credential to the team's owners and admins
    too: GitHub refused it (401), so it left the pool and someone must replace it."""
    team = ctx.team(event.team_id)
    kind = str_field(event.data, "kind") or "service"
    label = str_field(event.data, "label") or event.subject or "a credential"
    recipients: set[int] = set()
    owner = int_field(event.data, "user_id")
    if owner is not None and ctx.login_of(owner) is not None:
        recipients.add(owner)
    if team is not None:
        recipients |= {m.user_id for m in team.members if m.manages}
    if kind == "member":
        title = "GitHub no longer accepts your sign-in"
        body = "Your token left the pool; sign in again to use your own GitHub access."
        link = ctx.links.sessions()
        group_key = "credential_revoked:member"
    else:
        title = f"GitHub credential revoked: {label}"
        body = "It left the team's pool at once; add a new credential to restore the quota."
        link = ctx.links.pool(team.id) if team is not None else ctx.links.sessions()
        group_key = f"credential_revoked:{event.team_id}"
    return [
        make_draft(
            event,
            NotificationKind.credential_revoked,
            recipient=user_id,
            team_id=event.team_id,
            title=title,
            body=body,
            link=link,
            group_key=group_key,
            group_title="GitHub credentials revoked",
            group_link=link,
        )
        for user_id in sorted(recipients)
        if (login := ctx.login_of(user_id)) is not None
        and not is_bot(login)
        and not same_login(login, event.actor)
    ]
