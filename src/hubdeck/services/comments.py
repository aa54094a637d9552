"""Comments on dashboards and widgets: threads, replies, @mentions, resolve and reopen.

Anyone who may view a dashboard may comment on it; a comment is its author's to edit or delete;
a thread is resolved or reopened by its author or by an editor of the dashboard. Every change
is published on the dashboard's channel, and a new comment is a domain event (``mentions``
notify the people named, through the notification rules).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from hubdeck.core.clock import Clock
from hubdeck.core.comments.model import Comment, check_author, clean_body, excerpt, mentions
from hubdeck.core.comments.render import render_markdown
from hubdeck.core.dashboards.model import DashboardRole, Document
from hubdeck.core.errors import InvalidInput, NotFound, PermissionDenied
from hubdeck.core.events import DomainEvent
from hubdeck.ports import ChannelStream, CommentStore, DashboardRecord, TeamStore, UserStore
from hubdeck.services.dashboard_access import DashboardAccess
from hubdeck.services.dashboard_events import publish_dashboard_event
from hubdeck.services.dashboard_json import user_json

Publish = Callable[[DomainEvent], Awaitable[None]]


class CommentService:
    def __init__(
        self,
        store: CommentStore,
        access: DashboardAccess,
        teams: TeamStore,
        users: UserStore,
        stream: ChannelStream,
        publish: Publish,
        clock: Clock,
    ) -> None:
        self._store = store
        self._access = access
        self._teams = teams
        self._users = users
        self._stream = stream
        self._publish = publish
        self._clock = clock

    async def threads(self, user_id: int, dashboard_id: int) -> dict[str, Any]:
        await self._access.require(user_id, dashboard_id, DashboardRole.viewer)
        comments = await self._store.for_dashboard(dashboard_id)
        people = await self._users.get_many(
            sorted({c.author_id for c in comments} | {c.resolved_by or 0 for c in comments} - {0})
        )
        return {"comments": [_json(c, people) for c in comments]}

    async def post(
        self,
        user_id: int,
        dashboard_id: int,
        body: str,
        *,
        widget_id: str | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        record, _ = await self._access.require(user_id, dashboard_id, DashboardRole.viewer)
        text = clean_body(body)
        if thread_id is not None:
            thread = await self._store.get(thread_id)
            if thread is None or thread.dashboard_id != dashboard_id or not thread.is_thread:
                raise NotFound("no such thread on this dashboard")
            widget_id = thread.widget_id
        elif (
            widget_id is not None
            and Document.model_validate(record.document).widget(widget_id) is None
        ):
            raise NotFound("no such widget on this dashboard")
        comment = await self._store.add(
            dashboard_id=dashboard_id,
            team_id=record.team_id,
            thread_id=thread_id,
            widget_id=widget_id,
            author_id=user_id,
            body=text,
            at=self._clock.now(),
        )
        author = await self._users.get(user_id)
        people = {user_id: author} if author is not None else {}
        payload = _json(comment, people)
        await self._live(record, "comment.posted", author, payload)
        members = await self._members(record.team_id)
        named = {login: uid for login, uid in mentions(text, members).items() if uid != user_id}
        await self._publish(
            DomainEvent(
                type="dashboard.commented",
                occurred_at=comment.created_at,
                team_id=record.team_id,
                subject=_title(record),
                actor=author.login if author is not None else None,
                data={
                    "dashboard_id": dashboard_id,
                    "comment_id": comment.id,
                    "thread_id": comment.thread_id,
                    "widget_id": comment.widget_id,
                    "mentions": list(named),
                    "mention_ids": list(named.values()),
                    "excerpt": excerpt(text),
                },
            )
        )
        return payload

    async def edit(self, user_id: int, comment_id: int, body: str) -> dict[str, Any]:
        comment, record = await self._visible(user_id, comment_id)
        check_author(comment, user_id)
        updated = await self._store.edit(comment_id, clean_body(body), self._clock.now())
        return await self._changed(record, "comment.edited", user_id, updated)

    async def delete(self, user_id: int, comment_id: int) -> None:
        comment, record = await self._visible(user_id, comment_id)
        check_author(comment, user_id)
        updated = await self._store.delete(comment_id, self._clock.now())
        await self._changed(record, "comment.deleted", user_id, updated)

    async def resolve(self, user_id: int, thread_id: int, *, resolved: bool) -> dict[str, Any]:
        thread, record = await self._visible(user_id, thread_id)
        if not thread.is_thread:
            raise InvalidInput("only a thread's first comment resolves or reopens it")
        if thread.author_id != user_id:
            role = await self._access.role_of(user_id, record)
            if role is None or not role.allows(DashboardRole.editor):
                raise PermissionDenied("a thread is resolved by its author or by an editor")
        now = self._clock.now()
        updated = await self._store.resolve(
            thread_id, now if resolved else None, user_id if resolved else None
        )
        kind = "comment.resolved" if resolved else "comment.reopened"
        return await self._changed(record, kind, user_id, updated)

    # --- internals ----------------------------------------------------------------------------

    async def _visible(self, user_id: int, comment_id: int) -> tuple[Comment, DashboardRecord]:
        comment = await self._store.get(comment_id)
        if comment is None:
            raise NotFound("no such comment")
        # A comment on a dashboard you may not see does not exist for you.
        record, _ = await self._access.require(user_id, comment.dashboard_id, DashboardRole.viewer)
        return comment, record

    async def _changed(
        self, record: DashboardRecord, kind: str, user_id: int, comment: Comment | None
    ) -> dict[str, Any]:
        if comment is None:
            raise NotFound("no such comment")
        people = await self._users.get_many(
            sorted({comment.author_id, user_id, comment.resolved_by or user_id})
        )
        payload = _json(comment, people)
        await self._live(record, kind, people.get(user_id), payload)
        return payload

    async def _live(
        self, record: DashboardRecord, kind: str, actor: Any, payload: dict[str, Any]
    ) -> None:
        login = getattr(actor, "login", None)
        await publish_dashboard_event(
            self._stream, record.id, record.team_id, kind, login, {"comment": payload}
        )

    async def _members(self, team_id: int) -> dict[str, int]:
        members = await self._teams.members(team_id)
        users = await self._users.get_many([m.user_id for m in members])
        return {user.login: user.id for user in users.values()}


def _title(record: DashboardRecord) -> str:
    title = record.document.get("title")
    return title if isinstance(title, str) else f"dashboard {record.id}"


def _json(comment: Comment, people: dict[int, Any]) -> dict[str, Any]:
    deleted = comment.deleted_at is not None
    return {
        "id": comment.id,
        "dashboard_id": comment.dashboard_id,
        "thread_id": comment.thread_id,
        "widget_id": comment.widget_id,
        "author": user_json(people.get(comment.author_id), comment.author_id),
        "body": "" if deleted else comment.body,
        # Rendered here, once, by a renderer that lets no HTML through (core/comments/render.py).
        "body_html": "" if deleted else render_markdown(comment.body),
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "deleted": deleted,
        "resolved_at": comment.resolved_at.isoformat() if comment.resolved_at else None,
        "resolved_by": (
            user_json(people.get(comment.resolved_by), comment.resolved_by)
            if comment.resolved_by is not None
            else None
        ),
    }
