"""The records of outgoing and incoming webhooks, as the stores hand them over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MessageStatus(StrEnum):
    pending = "pending"  # waiting for its next try (or being tried)
    delivered = "delivered"
    failed = "failed"  # the schedule ran out, or the endpoint answered 410 Gone


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: int
    team_id: int
    url: str
    description: str
    event_types: tuple[str, ...]
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EncryptedSecrets:
    current: bytes
    previous: bytes | None
    previous_expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewMessage:
    endpoint_id: int
    msg_id: str
    event_id: str
    event_type: str
    body: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    endpoint_id: int
    msg_id: str
    event_id: str
    event_type: str
    body: str
    occurred_at: datetime
    created_at: datetime
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A message a dispatcher holds (its lease), with what sending it needs."""

    message: Message
    team_id: int
    url: str
    secrets: EncryptedSecrets
    claim: str


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    message_id: int
    endpoint_id: int
    msg_id: str
    event_type: str
    attempt: int
    attempted_at: datetime
    succeeded: bool
    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str | None


@dataclass(frozen=True, slots=True)
class IncomingHook:
    team_id: int
    token: str
    secret_encrypted: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Annotation:
    id: int
    team_id: int
    text: str
    at: datetime
    tags: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MetricPoint:
    id: int
    team_id: int
    name: str
    value: float
    at: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxState:
    """The outbox at a glance: pending messages of enabled endpoints (the dispatcher's work) and
    of disabled ones (kept for a replay), and when the oldest of the former entered it."""

    pending: int
    pending_disabled: int
    oldest_pending_at: datetime | None
