"""GitHub webhooks in: authenticate, deduplicate, answer at once, process through ingest."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

import orjson
import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.errors import BadRequest, Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.changes import repository_changes
from hubdeck.core.github.merge import merge_pull
from hubdeck.core.github.models import PullRequest, Repository
from hubdeck.core.github.webhooks import (
    MODELLED_EVENTS,
    event_identity,
    read_payload,
    signature_matches,
)
from hubdeck.core.teams import Permission
from hubdeck.ports import (
    DeliveryLog,
    GitHubStore,
    SecretBox,
    StoredObject,
    StoredRepository,
    TeamStore,
)
from hubdeck.services.ingest import Ingest, to_event
from hubdeck.services.teams import TeamService

log = structlog.get_logger(__name__)

# GitHub caps payloads at 25 MB; nothing HubDeck models comes close.
MAX_BODY = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Accepted:
    delivery_id: str
    duplicate: bool


class GitHubWebhooks:
    def __init__(
        self,
        ingest: Ingest,
        store: GitHubStore,
        teams: TeamStore,
        team_service: TeamService,
        deliveries: DeliveryLog,
        box: SecretBox,
        clock: Clock,
    ) -> None:
        self._ingest = ingest
        self._store = store
        self._teams = teams
        self._team_service = team_service
        self._deliveries = deliveries
        self._box = box
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    async def rotate_secret(self, team_id: int, user_id: int) -> str:
        """A new signing secret for the team's GitHub webhooks; shown once, stored encrypted."""
        await self._team_service.require(team_id, user_id, Permission.manage)
        secret = secrets.token_urlsafe(32)
        await self._teams.set_webhook_secret(team_id, self._box.encrypt(secret))
        return secret

    async def receive(
        self,
        *,
        event: str | None,
        delivery_id: str | None,
        signature: str | None,
        body: bytes,
        team_hint: int | None = None,
    ) -> Accepted:
        if not event or not delivery_id or len(delivery_id) > 64 or len(event) > 64:
            raise BadRequest("X-GitHub-Event and X-GitHub-Delivery headers are required")
        if len(body) > MAX_BODY:
            raise BadRequest("payload too large")
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise BadRequest("the body is not JSON") from None
        if not isinstance(payload, dict):
            raise BadRequest("the body is not a JSON object")
        team_id = await self._authenticate(payload, body, signature, team_hint)
        identity = event_identity(event, payload)
        first = await self._deliveries.first_time(
            delivery_id, identity, event, team_id, self._clock.now()
        )
        if first:
            # Answered before processing: GitHub gives a hook 10 seconds, and a slow ingest
            # must not turn into redeliveries.
            task = asyncio.create_task(self._process(event, delivery_id, payload))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return Accepted(delivery_id=delivery_id, duplicate=not first)

    async def drain(self) -> None:
        """Wait for deliveries being processed (shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _authenticate(
        self, payload: dict[str, Any], body: bytes, signature: str | None, team_hint: int | None
    ) -> int:
        candidates: list[int] = []
        if team_hint is not None:
            candidates.append(team_hint)
        repository = payload.get("repository")
        if isinstance(repository, dict) and isinstance(repository.get("id"), int):
            stored = await self._store.find_repository(repository["id"])
            if stored is not None:
                candidates.extend(await self._teams.followers(stored.id))
        organization = payload.get("organization")
        if isinstance(organization, dict) and isinstance(organization.get("login"), str):
            candidates.extend(await self._teams.teams_for_org(organization["login"]))
        secrets_by_team = await self._teams.webhook_secrets(list(dict.fromkeys(candidates)))
        for team_id, encrypted in secrets_by_team.items():
            if signature_matches(self._box.decrypt(encrypted), body, signature):
                return team_id
        raise Unauthenticated("the signature matches no team's webhook secret")

    async def _process(self, event: str, delivery_id: str, payload: dict[str, Any]) -> None:
        try:
            await self._apply(event, payload)
        except Exception:
            # A payload of an unexpected shape is logged and dropped; it never takes the
            # receiver down, and the next sync brings the data anyway.
            log.exception("github_webhook.failed", github_event=event, delivery=delivery_id)

    async def _apply(self, event: str, payload: dict[str, Any]) -> None:
        content = read_payload(event, payload) if event in MODELLED_EVENTS else None
        raw_repo = payload.get("repository")
        repo_github_id = raw_repo.get("id") if isinstance(raw_repo, dict) else None
        stored = (
            await self._store.find_repository(repo_github_id)
            if isinstance(repo_github_id, int)
            else None
        )
        if stored is None:
            return  # a repository no team follows: nothing to update
        events: list[DomainEvent] = []
        repository: tuple[Repository, None] | None = None
        current = stored
        if (
            content is not None
            and content.repository is not None
            and event in ("star", "fork", "repository")
        ):
            repository = (content.repository, None)
            current = StoredRepository(
                stored.id, content.repository, stored.languages, stored.synced_at
            )
            for change in repository_changes(
                stored.repository, content.repository, self._clock.now()
            ):
                events.append(to_event(current, change))
        to_save: list[StoredObject] = []
        if content is not None and content.objects:
            objects = await self._merge(stored.id, content.objects)
            result = await self._ingest.prepare(stored.id, objects)
            to_save = result.to_save
            events.extend(to_event(current, change) for change in result.changes)
        if content is None:
            events.append(
                DomainEvent(
                    type="github.event",
                    occurred_at=self._clock.now(),
                    repository_id=stored.id,
                    subject=stored.repository.full_name,
                    actor=_sender(payload),
                    data={
                        "repository": stored.repository.full_name,
                        "event": event,
                        "action": payload.get("action"),
                    },
                )
            )
        # The objects, the repository's new state and the events in one transaction.
        await self._ingest.commit(stored.id, to_save, events, repository=repository)

    async def _merge(self, repository_id: int, objects: list[object]) -> list[object]:
        pulls = [o for o in objects if isinstance(o, PullRequest)]
        if not pulls:
            return objects
        known = await self._ingest.load(repository_id, "pull", [str(p.number) for p in pulls])
        return [
            merge_pull(known.get(str(o.number)), o) if isinstance(o, PullRequest) else o
            for o in objects
        ]


def _sender(payload: dict[str, Any]) -> str | None:
    sender = payload.get("sender")
    login = sender.get("login") if isinstance(sender, dict) else None
    return login if isinstance(login, str) else None
