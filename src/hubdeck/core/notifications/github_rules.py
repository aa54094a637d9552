"""Rules for events about GitHub data: pull requests, reviews, workflow runs, comments.

These events belong to a repository (``event.repository_id``) and name people by GitHub login.
A login reaches the members with that login of the teams following the repository, one draft
per team (``route`` in preferences.py keeps one per person, through a team they did not mute);
the link of each draft goes through that team. Nobody is notified of what they did themselves,
and bots are never notified. See rules.py for the ``data`` each rule reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications.context import Member, RuleContext, TeamContext
from hubdeck.core.notifications.model import NotificationDraft, NotificationKind
from hubdeck.core.notifications.support import (
    int_field,
    int_list,
    is_bot,
    make_draft,
    repository_name,
    same_login,
    str_field,
    str_list,
)

# Runs started by a pull request check its head branch, which may be named like the default
# branch (a fork's ``main``): those failures go to the pull request's author, not the team.
PULL_REQUEST_TRIGGERS = frozenset({"pull_request", "pull_request_target"})


def _reach(
    ctx: RuleContext, logins: Iterable[str], *, skip: Iterable[str | None] = ()
) -> Iterator[tuple[TeamContext, Member]]:
    """The members of the following teams with one of ``logins``, except those in ``skip``."""
    excluded = [s for s in skip if s is not None]
    wanted = [
        login
        for login in logins
        if not is_bot(login) and not any(same_login(login, s) for s in excluded)
    ]
    for team in ctx.followers():
        for login in wanted:
            member = team.member(login)
            if member is not None:
                yield team, member


def review_requested(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    repo, repo_id, number = repository_name(event), event.repository_id, _number(event)
    if repo is None or repo_id is None or number is None:
        return []
    data = event.data
    author = str_field(data, "author")
    requester = event.actor or author
    title = (
        f"{requester} requested your review on {repo}#{number}"
        if requester
        else f"Your review was requested on {repo}#{number}"
    )
    return [
        make_draft(
            event,
            NotificationKind.review_requested,
            recipient=member.user_id,
            team_id=team.id,
            title=title,
            body=str_field(data, "title") or "",
            link=ctx.links.pull(team.id, repo_id, number),
            group_key=f"review_requested:{repo}",
            group_title=f"reviews requested from you in {repo}",
            group_link=ctx.links.repository(team.id, repo_id),
        )
        for team, member in _reach(ctx, str_list(data, "reviewers"), skip=(event.actor, author))
    ]


def pull_merged(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    return _to_author(event, ctx, NotificationKind.pull_merged, "merged")


def pull_closed(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    return _to_author(event, ctx, NotificationKind.pull_closed, "closed")


def _to_author(
    event: DomainEvent, ctx: RuleContext, kind: NotificationKind, verb: str
) -> list[NotificationDraft]:
    repo, repo_id, number = repository_name(event), event.repository_id, _number(event)
    author = str_field(event.data, "author")
    if repo is None or repo_id is None or number is None or author is None:
        return []
    by = f" by {event.actor}" if event.actor else ""
    return [
        make_draft(
            event,
            kind,
            recipient=member.user_id,
            team_id=team.id,
            title=f"Your pull request {repo}#{number} was {verb}{by}",
            body=str_field(event.data, "title") or "",
            link=ctx.links.pull(team.id, repo_id, number),
            group_key=f"{kind.value}:{repo}",
            group_title=f"of your pull requests were {verb} in {repo}",
            group_link=ctx.links.repository(team.id, repo_id),
        )
        for team, member in _reach(ctx, [author], skip=[event.actor])
    ]


_REVIEW_KINDS = {
    "APPROVED": (NotificationKind.pull_approved, "approved", "approvals of"),
    "CHANGES_REQUESTED": (
        NotificationKind.changes_requested,
        "requested changes on",
        "change requests on",
    ),
}


def pull_reviewed(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """Approvals and change requests go to the author; plain review comments do not notify."""
    repo, repo_id, number = repository_name(event), event.repository_id, _number(event)
    found = _REVIEW_KINDS.get(str_field(event.data, "state") or "")
    if repo is None or repo_id is None or number is None or found is None:
        return []
    kind, verb, plural = found
    reviewer = str_field(event.data, "reviewer") or event.actor
    author = str_field(event.data, "author") or ctx.pull_author(number)
    if author is None:
        return []
    who = reviewer or "Someone"
    return [
        make_draft(
            event,
            kind,
            recipient=member.user_id,
            team_id=team.id,
            title=f"{who} {verb} your pull request {repo}#{number}",
            link=ctx.links.pull(team.id, repo_id, number),
            group_key=f"{kind.value}:{repo}",
            group_title=f"{plural} your pull requests in {repo}",
            group_link=ctx.links.repository(team.id, repo_id),
        )
        for team, member in _reach(ctx, [author], skip=(reviewer, event.actor))
    ]


def workflow_failed(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    """A failure on a team's default branch goes to all its members; on a pull request, to the
    pull request's author. Both even when they triggered the run: the breakage is news."""
    repo, repo_id, data = repository_name(event), event.repository_id, event.data
    if repo is None or repo_id is None:
        return []
    name = str_field(data, "name") or "A workflow"
    branch = str_field(data, "branch")
    pulls = int_list(data, "pull_numbers")
    run_id = int_field(data, "run_id")
    from_pull = bool(pulls) or str_field(data, "event") in PULL_REQUEST_TRIGGERS
    drafts: list[NotificationDraft] = []

    def add(team: TeamContext, member: Member, title: str, link: str) -> None:
        drafts.append(
            make_draft(
                event,
                NotificationKind.workflow_failed,
                recipient=member.user_id,
                team_id=team.id,
                title=title,
                body=f"{name} on {branch}" if branch else name,
                link=link,
                group_key=f"workflow_failed:{repo}",
                group_title=f"workflow runs failed in {repo}",
                group_link=ctx.links.repository(team.id, repo_id),
            )
        )

    for number in pulls:
        author = ctx.pull_author(number)
        for team, member in _reach(ctx, [] if author is None else [author]):
            link = ctx.links.pull(team.id, repo_id, number)
            add(team, member, f"{name} failed on your pull request {repo}#{number}", link)
    if branch is not None and not from_pull:
        for team in ctx.followers():
            if ctx.default_branch(team.id, repo_id) != branch:
                continue
            for member in team.members:
                if not is_bot(member.login):
                    link = (
                        ctx.links.repository(team.id, repo_id)
                        if run_id is None
                        else ctx.links.run(team.id, repo_id, run_id)
                    )
                    add(team, member, f"{name} failed on {branch} in {repo}", link)
    return drafts


def mentioned(event: DomainEvent, ctx: RuleContext) -> list[NotificationDraft]:
    repo, repo_id = repository_name(event), event.repository_id
    number = int_field(event.data, "issue_number")
    if repo is None or repo_id is None or number is None:
        return []
    title = (
        f"{event.actor} mentioned you in {repo}#{number}"
        if event.actor
        else f"You were mentioned in {repo}#{number}"
    )
    return [
        make_draft(
            event,
            NotificationKind.mentioned,
            recipient=member.user_id,
            team_id=team.id,
            title=title,
            body=str_field(event.data, "excerpt") or "",
            link=ctx.links.issue(team.id, repo_id, number),
            group_key=f"mentioned:{repo}",
            group_title=f"mentions of you in {repo}",
            group_link=ctx.links.repository(team.id, repo_id),
        )
        for team, member in _reach(ctx, str_list(event.data, "mentions"), skip=[event.actor])
    ]


def _number(event: DomainEvent) -> int | None:
    return int_field(event.data, "number")
