"""Notifications: from domain events to every device of the people concerned, kept in step.

Persisted first, then pushed on ``user:{id}``; reads and archives are pushed too, so every
device of a user shows the same list and the same unread count. A device that was offline
catches up through the channel's recovery, or refetches when recovery is impossible.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import orjson
import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput
from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications import (
    DEFAULT_CHANNELS,
    DEFAULT_WINDOW,
    Insert,
    Member,
    Notification,
    Preferences,
    RuleContext,
    TeamContext,
    collapse,
    drafts_for,
    due_period,
    handled_event_types,
    needs,
    route,
)
from hubdeck.ports import (
    ChannelStream,
    GitHubStore,
    NotificationFilter,
    NotificationStore,
    TeamStore,
    UserStore,
)

log = structlog.get_logger(__name__)

MAX_PAGE = 100


class NotificationService:
    def __init__(
        self,
        store: NotificationStore,
        teams: TeamStore,
        users: UserStore,
        github: GitHubStore,
        stream: ChannelStream,
        clock: Clock,
    ) -> None:
        self._store = store
        self._teams = teams
        self._users = users
        self._github = github
        self._stream = stream
        self._clock = clock
        self._handled = handled_event_types()

    # --- from events ----------------------------------------------------------------------

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer; idempotent by event id."""
        for event in events:
            if event.type not in self._handled:
                continue
            if not await self._store.claim_event(event.id, self._clock.now()):
                continue
            try:
                await self._notify(event)
            except Exception:
                log.exception("notifications.failed", event_id=event.id, event_type=event.type)

    async def _notify(self, event: DomainEvent) -> None:
        context = await self._context(event)
        drafts = drafts_for(event, context)
        if not drafts:
            return
        recipients = sorted({d.recipient_id for d in drafts})
        preferences = await self._store.preferences(recipients)
        now = self._clock.now()
        for delivery in route(drafts, preferences):
            draft = delivery.draft
            recent = await self._store.recent(
                draft.recipient_id, [draft.group_key], now - DEFAULT_WINDOW - timedelta(minutes=1)
            )
            decision = collapse(recent, draft, now)
            if isinstance(decision, Insert):
                notification = await self._store.insert(decision.draft, decision.at)
                kind = "notification.created"
            else:
                notification = decision.notification
                await self._store.replace(notification)
                kind = "notification.updated"
            # A storm rings the browser once: later occurrences only bump the row.
            browser = delivery.browser and kind == "notification.created"
            await self._push(
                draft.recipient_id,
                kind,
                {"notification": public(notification), "browser": browser},
            )

    async def _context(self, event: DomainEvent) -> RuleContext:
        wanted = needs(event)
        team_ids = list(wanted.team_ids)
        following: list[int] = []
        branch: str | None = None
        if wanted.followers_of is not None:
            following = await self._teams.followers(wanted.followers_of)
            team_ids.extend(following)
            stored = await self._github.get_repository(wanted.followers_of)
            branch = stored.repository.default_branch if stored else None
        teams: dict[int, TeamContext] = {}
        for team_id in dict.fromkeys(team_ids):
            team = await self._teams.get(team_id)
            if team is None:
                continue
            memberships = await self._teams.members(team_id)
            # One query for the team's people, not one per member.
            people = await self._users.get_many([m.user_id for m in memberships])
            members = [
                Member(m.user_id, people[m.user_id].login, m.role)
                for m in memberships
                if m.user_id in people
            ]
            branches = (
                {wanted.followers_of: branch}
                if wanted.followers_of is not None and branch is not None
                else {}
            )
            teams[team_id] = TeamContext(team_id, team.name, tuple(members), branches)
        users = {
            user_id: user.login
            for user_id, user in (await self._users.get_many(list(wanted.user_ids))).items()
        }
        authors: dict[int, str] = {}
        if wanted.pull_numbers and wanted.followers_of is not None:
            found = await self._github.load_objects(
                wanted.followers_of, "pull", [str(n) for n in wanted.pull_numbers]
            )
            authors = {int(k): v["author"]["login"] for k, v in found.items()}
        return RuleContext(
            teams=teams, following=tuple(following), users=users, pull_authors=authors
        )

    # --- for the API ----------------------------------------------------------------------

    async def page(self, user_id: int, query: NotificationFilter) -> tuple[list[Notification], int]:
        limited = NotificationFilter(
            **{**_fields(query), "limit": max(1, min(query.limit, MAX_PAGE))}
        )
        items = await self._store.page(user_id, limited)
        return items, await self._store.unread_count(user_id)

    async def unread_count(self, user_id: int) -> int:
        return await self._store.unread_count(user_id)

    async def mark_read(self, user_id: int, ids: Sequence[int] | None) -> int:
        await self._store.mark_read(user_id, ids, self._clock.now())
        change: dict[str, Any] = {"all": True} if ids is None else {"ids": list(ids)}
        return await self._push(user_id, "notification.read", change)

    async def archive(self, user_id: int, ids: Sequence[int]) -> int:
        if not ids:
            raise InvalidInput("give the ids to archive")
        await self._store.archive(user_id, ids, self._clock.now())
        return await self._push(user_id, "notification.archived", {"ids": list(ids)})

    async def preferences(self, user_id: int) -> Preferences:
        return (await self._store.preferences([user_id])).get(user_id, Preferences())

    async def save_preferences(self, user_id: int, preferences: Preferences) -> Preferences:
        before = await self.preferences(user_id)
        digest_from = None
        if not preferences.digest.same_times(before.digest):
            # A new schedule starts with its current period counted as done: the first digest
            # comes at the next scheduled hour, not the minute the setting is saved.
            digest_from = due_period(preferences.digest, self._clock.now())
        await self._store.save_preferences(user_id, preferences, digest_from)
        # The user's other devices show the settings as they now are.
        changed = {"type": "notification_preferences:updated", "ts": int(time.time() * 1000)}
        await self._stream.publish(f"user:{user_id}", orjson.dumps({**changed, "data": {}}))
        return preferences

    @staticmethod
    def defaults() -> dict[str, str]:
        return {kind.value: channel.value for kind, channel in DEFAULT_CHANNELS.items()}

    async def announce(self, notification: Notification, *, browser: bool) -> int:
        """Push a notification stored elsewhere (a digest) as a new one, like any other."""
        return await self._push(
            notification.recipient_id,
            "notification.created",
            {"notification": public(notification), "browser": browser},
        )

    async def _push(self, user_id: int, kind: str, data: dict[str, Any]) -> int:
        """Publish a change on the user's channel, with the unread count after it."""
        unread = await self._store.unread_count(user_id)
        payload = {
            "type": kind,
            "ts": int(time.time() * 1000),
            "data": {**data, "unread_count": unread},
        }
        await self._stream.publish(f"user:{user_id}", orjson.dumps(payload))
        return unread


def public(notification: Notification) -> dict[str, Any]:
    """What clients see of a notification."""
    return notification.model_dump(
        mode="json",
        exclude={"recipient_id", "group_title", "group_link", "event_id"},
    )


def _fields(query: NotificationFilter) -> dict[str, Any]:
    return {name: getattr(query, name) for name in query.__dataclass_fields__}
