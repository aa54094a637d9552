"""Generic incoming webhooks: a team's signed URL that posts annotations and custom metric
points onto its dashboards, live (a domain event on the team's channel)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from pydantic import ValidationError

from hubdeck.core.clock import Clock
from hubdeck.core.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.teams import Permission
from hubdeck.core.webhooks.incoming import MAX_BODY, PAYLOAD, AnnotationIn
from hubdeck.core.webhooks.model import Annotation, IncomingHook, MetricPoint
from hubdeck.core.webhooks.signing import (
    DEFAULT_TOLERANCE_SECONDS,
    SignatureError,
    generate_secret,
    verify,
)
from hubdeck.ports import IncomingWebhookStore, SecretBox
from hubdeck.services.annotations import AnnotationService
from hubdeck.services.teams import TeamService

Publish = Callable[[DomainEvent], Awaitable[None]]
MAX_LIMIT = 1000


class IncomingWebhooks:
    def __init__(
        self,
        store: IncomingWebhookStore,
        teams: TeamService,
        box: SecretBox,
        clock: Clock,
        publish: Publish,
        annotations: AnnotationService,
    ) -> None:
        self._annotations = annotations
        self._store = store
        self._teams = teams
        self._box = box
        self._clock = clock
        self._publish = publish

    async def get(self, team_id: int, user_id: int) -> IncomingHook | None:
        await self._teams.require(team_id, user_id, Permission.manage)
        return await self._store.hook(team_id)

    async def setup(self, team_id: int, user_id: int) -> tuple[IncomingHook, str]:
        """A new URL and secret (replacing any previous pair); the secret is returned once."""
        await self._teams.require(team_id, user_id, Permission.manage)
        secret = generate_secret()
        hook = IncomingHook(
            team_id=team_id,
            token=secrets.token_urlsafe(24),
            secret_encrypted=self._box.encrypt(secret),
            created_at=self._clock.now(),
        )
        await self._store.save_hook(hook)
        return hook, secret

    async def remove(self, team_id: int, user_id: int) -> None:
        await self._teams.require(team_id, user_id, Permission.manage)
        if not await self._store.delete_hook(team_id):
            raise NotFound("no incoming webhook is set up")

    async def receive(
        self, token: str, headers: Mapping[str, str], body: bytes
    ) -> Annotation | MetricPoint:
        hook = await self._store.hook_by_token(token)
        if hook is None:
            raise NotFound("no such incoming webhook")
        if len(body) > MAX_BODY:
            raise InvalidInput(f"the body is larger than {MAX_BODY} bytes")
        now = self._clock.now()
        try:
            msg_id = verify(
                self._box.decrypt(hook.secret_encrypted), headers, body, now.timestamp()
            )
        except SignatureError as error:
            raise Unauthenticated(f"signature refused: {error}") from None
        try:
            parsed = PAYLOAD.validate_json(body)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise InvalidInput(
                f"{where}: {first.get('msg', 'invalid')}" if where else "invalid body"
            ) from None
        # Twice the tolerance: an id is refused as long as its timestamp could still pass.
        forget = now - timedelta(seconds=2 * DEFAULT_TOLERANCE_SECONDS)
        if not await self._store.first_time(hook.team_id, msg_id, now, forget):
            raise Conflict("this webhook-id was received already")
        if isinstance(parsed, AnnotationIn):
            return await self._annotations.record(
                hook.team_id, parsed.text, parsed.at, list(parsed.tags), None
            )
        point = await self._store.add_point(
            hook.team_id, parsed.name, parsed.value, parsed.at or now, now
        )
        await self._publish(
            DomainEvent(
                type="custom_metric.recorded",
                occurred_at=point.at,
                team_id=hook.team_id,
                subject=point.name,
                data=point_data(point),
            )
        )
        return point

    async def annotations(
        self,
        team_id: int,
        user_id: int,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 200,
    ) -> list[Annotation]:
        await self._teams.require(team_id, user_id, Permission.view)
        return await self._store.annotations(team_id, since, until, min(limit, MAX_LIMIT))

    async def points(
        self,
        team_id: int,
        user_id: int,
        name: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 200,
    ) -> list[MetricPoint]:
        await self._teams.require(team_id, user_id, Permission.view)
        return await self._store.points(team_id, name, since, until, min(limit, MAX_LIMIT))


def point_data(point: MetricPoint) -> dict[str, object]:
    return {"id": point.id, "name": point.name, "value": point.value, "at": point.at.isoformat()}
