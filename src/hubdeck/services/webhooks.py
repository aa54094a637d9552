"""Outgoing webhooks: a team's endpoints, their secrets and log, and the event-bus consumer that
writes the outbox (one message per event and matching endpoint, at least once through the
event journal)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Conflict, InvalidInput, NotFound
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission
from hubdeck.core.webhooks.catalogue import (
    TEST_EVENT,
    WEBHOOK_EVENT_TYPES,
    body,
    check_event_types,
    payload,
    wants,
)
from hubdeck.core.webhooks.model import (
    Attempt,
    Endpoint,
    Message,
    MessageStatus,
    NewMessage,
    OutboxState,
)
from hubdeck.core.webhooks.signing import generate_secret
from hubdeck.core.webhooks.targets import TargetRefused
from hubdeck.ports import SecretBox, TeamStore, WebhookSender, WebhookStore
from hubdeck.services.teams import TeamService

log = structlog.get_logger(__name__)

MAX_DESCRIPTION = 500
# How long the previous secret keeps signing after a rotation, unless the admin says otherwise:
# a day gives receivers time to deploy the new one.
DEFAULT_OVERLAP = timedelta(hours=24)
MAX_OVERLAP = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class EndpointWithSecret:
    """An endpoint with its new secret: returned once, at creation and rotation."""

    endpoint: Endpoint
    secret: str


def new_msg_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookService:
    def __init__(
        self,
        store: WebhookStore,
        teams: TeamService,
        team_store: TeamStore,
        sender: WebhookSender,
        box: SecretBox,
        clock: Clock,
        *,
        disabled_backlog: int,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._teams = teams
        self._team_store = team_store
        self._sender = sender
        self._box = box
        self._clock = clock
        self._backlog = disabled_backlog
        self._wake = wake

    async def outbox_state(self) -> OutboxState:
        """What waits in the outbox, for operators (not scoped to a team)."""
        return await self._store.outbox_state()

    # Endpoints

    async def list_endpoints(self, team_id: int, user_id: int) -> list[Endpoint]:
        await self._teams.require(team_id, user_id, Permission.manage)
        return await self._store.endpoints([team_id])

    async def get(self, team_id: int, user_id: int, endpoint_id: int) -> Endpoint:
        await self._teams.require(team_id, user_id, Permission.manage)
        endpoint = await self._store.endpoint(endpoint_id)
        if endpoint is None or endpoint.team_id != team_id:
            raise NotFound("no such webhook endpoint")
        return endpoint

    async def _check_url(self, url: str) -> str:
        url = url.strip()
        try:
            await self._sender.check(url)
        except TargetRefused as error:
            raise InvalidInput(f"this URL may not receive webhooks: {error}") from None
        return url

    async def create(
        self,
        team_id: int,
        user_id: int,
        *,
        url: str,
        description: str = "",
        event_types: Sequence[str] = (),
        enabled: bool = True,
    ) -> EndpointWithSecret:
        await self._teams.require(team_id, user_id, Permission.manage)
        secret = generate_secret()
        endpoint = await self._store.create_endpoint(
            team_id=team_id,
            url=await self._check_url(url),
            description=_description(description),
            event_types=check_event_types(event_types),
            enabled=enabled,
            secret_encrypted=self._box.encrypt(secret),
            created_by=user_id,
            at=self._clock.now(),
        )
        return EndpointWithSecret(endpoint, secret)

    async def update(
        self,
        team_id: int,
        user_id: int,
        endpoint_id: int,
        *,
        url: str | None = None,
        description: str | None = None,
        event_types: Sequence[str] | None = None,
        enabled: bool | None = None,
    ) -> Endpoint:
        """Edit an endpoint. Enabling a disabled one replays the messages it kept."""
        current = await self.get(team_id, user_id, endpoint_id)
        changes: dict[str, Any] = {}
        if url is not None:
            changes["url"] = await self._check_url(url)
        if description is not None:
            changes["description"] = _description(description)
        if event_types is not None:
            changes["event_types"] = check_event_types(event_types)
        now = self._clock.now()
        reenabled = enabled is True and not current.enabled
        if enabled is not None and enabled != current.enabled:
            changes["enabled"] = enabled
            changes["failing_since"] = None
            changes["disabled_at"] = None if enabled else now
            changes["disabled_reason"] = None if enabled else "disabled by hand"
        updated = await self._store.update_endpoint(endpoint_id, changes, now)
        if updated is None:
            raise NotFound("no such webhook endpoint")
        if reenabled:
            await self._store.replay(endpoint_id, now)
            self._wake()
        return updated

    async def delete(self, team_id: int, user_id: int, endpoint_id: int) -> None:
        await self.get(team_id, user_id, endpoint_id)
        await self._store.delete_endpoint(endpoint_id)

    async def rotate_secret(
        self, team_id: int, user_id: int, endpoint_id: int, overlap: timedelta = DEFAULT_OVERLAP
    ) -> EndpointWithSecret:
        """A new secret; the current one keeps signing beside it for ``overlap``."""
        if not timedelta(0) <= overlap <= MAX_OVERLAP:
            raise InvalidInput("the overlap is between 0 and 7 days")
        await self.get(team_id, user_id, endpoint_id)
        stored = await self._store.secrets(endpoint_id)
        if stored is None:
            raise NotFound("no such webhook endpoint")
        secret = generate_secret()
        now = self._clock.now()
        previous = stored.current if overlap > timedelta(0) else None
        await self._store.rotate_secret(
            endpoint_id, self._box.encrypt(secret), previous, now + overlap, now
        )
        endpoint = await self.get(team_id, user_id, endpoint_id)
        return EndpointWithSecret(endpoint, secret)

    # The log

    async def messages(
        self,
        team_id: int,
        user_id: int,
        endpoint_id: int,
        *,
        status: MessageStatus | None = None,
        event_type: str | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[Message]:
        await self.get(team_id, user_id, endpoint_id)
        return await self._store.messages(
            endpoint_id, status=status, event_type=event_type, before=before, limit=limit
        )

    async def attempts(
        self,
        team_id: int,
        user_id: int,
        endpoint_id: int,
        *,
        succeeded: bool | None = None,
        event_type: str | None = None,
        message_id: int | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[Attempt]:
        await self.get(team_id, user_id, endpoint_id)
        return await self._store.attempts(
            endpoint_id,
            succeeded=succeeded,
            event_type=event_type,
            message_id=message_id,
            before=before,
            limit=limit,
        )

    async def pending(self, team_id: int, user_id: int, endpoint_id: int) -> int:
        await self.get(team_id, user_id, endpoint_id)
        return await self._store.pending_count(endpoint_id)

    async def redeliver(
        self, team_id: int, user_id: int, endpoint_id: int, message_id: int
    ) -> None:
        """Send a message again now, with its webhook-id, on a fresh schedule."""
        endpoint = await self.get(team_id, user_id, endpoint_id)
        if not endpoint.enabled:
            raise Conflict("the endpoint is disabled: enable it first (that replays what it kept)")
        if not await self._store.redeliver(endpoint_id, message_id, self._clock.now()):
            raise NotFound("no such message")
        self._wake()

    async def send_test(self, team_id: int, user_id: int, endpoint_id: int) -> Message:
        endpoint = await self.get(team_id, user_id, endpoint_id)
        if not endpoint.enabled:
            raise Conflict("the endpoint is disabled: enable it first")
        now = self._clock.now()
        event_id = str(uuid.uuid4())
        message = NewMessage(
            endpoint_id=endpoint_id,
            msg_id=new_msg_id(),
            event_id=event_id,
            event_type=TEST_EVENT,
            body=body(
                TEST_EVENT,
                now,
                {
                    "event_id": event_id,
                    "team_id": team_id,
                    "endpoint_id": endpoint_id,
                    "message": "HubDeck test event: this endpoint receives HubDeck webhooks.",
                },
            ).decode(),
            occurred_at=now,
        )
        await self._store.enqueue([message], now, self._backlog)
        self._wake()
        found = await self._store.messages(
            endpoint_id, status=None, event_type=TEST_EVENT, before=None, limit=1
        )
        return found[0]

    # The outbox

    async def on_events(self, events: Sequence[DomainEvent]) -> None:
        """Event consumer: an outbox message for each event and each endpoint that wants it
        (disabled endpoints too, up to their backlog, so re-enabling replays them)."""
        relevant = [e for e in events if e.type in WEBHOOK_EVENT_TYPES]
        if not relevant:
            return
        followers: dict[int, list[int]] = {}
        teams_of: list[tuple[DomainEvent, list[int]]] = []
        for event in relevant:
            teams: list[int] = []
            if event.repository_id is not None:
                if event.repository_id not in followers:
                    followers[event.repository_id] = await self._team_store.followers(
                        event.repository_id
                    )
                teams = list(followers[event.repository_id])
            if event.team_id is not None and event.team_id not in teams:
                teams.append(event.team_id)
            teams_of.append((event, teams))
        all_teams = sorted({t for _, teams in teams_of for t in teams})
        by_team: dict[int, list[Endpoint]] = {}
        for endpoint in await self._store.endpoints(all_teams):
            by_team.setdefault(endpoint.team_id, []).append(endpoint)
        if not by_team:
            return
        messages: list[NewMessage] = []
        for event, teams in teams_of:
            encoded: str | None = None
            for team_id in teams:
                for endpoint in by_team.get(team_id, ()):
                    if not wants(endpoint.event_types, event.type):
                        continue
                    encoded = encoded or payload(event).decode()
                    messages.append(
                        NewMessage(
                            endpoint_id=endpoint.id,
                            msg_id=new_msg_id(),
                            event_id=event.id,
                            event_type=event.type,
                            body=encoded,
                            occurred_at=event.occurred_at,
                        )
                    )
        if messages:
            # A failure raises to the bus: the event stays in its journal and the relay hands
            # it here again (a repeat is dropped by the store), without holding up publishing.
            await self._store.enqueue(messages, self._clock.now(), self._backlog)
            self._wake()


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(f"a description has at most {MAX_DESCRIPTION} characters")
    return text


def event_types() -> dict[str, str]:
    return dict(WEBHOOK_EVENT_TYPES)
