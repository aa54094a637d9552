"""What the composition root hands to the edges: the chosen adapters and the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hubdeck.config import Settings
from hubdeck.ports import (
    Broadcaster,
    Cache,
    ChannelHistory,
    HealthCheck,
    KeyValue,
    Locks,
    Presence,
    SessionStore,
    UserStore,
)
from hubdeck.services.auth import Authenticator

if TYPE_CHECKING:
    from hubdeck.web.realtime.node import RealtimeNode


@dataclass
class Infrastructure:
    cache: Cache
    broadcaster: Broadcaster
    keyvalue: KeyValue
    locks: Locks
    history: ChannelHistory
    presence: Presence


@dataclass
class Runtime:
    settings: Settings
    infra: Infrastructure
    users: UserStore
    sessions: SessionStore
    authenticator: Authenticator
    realtime: RealtimeNode
    health_checks: list[HealthCheck] = field(default_factory=list)
    backends: dict[str, str] = field(default_factory=dict)
