"""What the composition root hands to the edges: the chosen adapters and the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hubdeck.config import Settings
from hubdeck.ports import (
    Broadcaster,
    Cache,
    ChannelHistory,
    ChannelStream,
    HealthCheck,
    KeyValue,
    Locks,
    Presence,
    RateLimits,
    SessionStore,
    UserStore,
)
from hubdeck.services.activity import ActivityService
from hubdeck.services.annotations import AnnotationService
from hubdeck.services.audit import AuditService
from hubdeck.services.auth import Authenticator
from hubdeck.services.comments import CommentService
from hubdeck.services.dashboards import DashboardService
from hubdeck.services.events import EventBus
from hubdeck.services.github_webhooks import GitHubWebhooks
from hubdeck.services.incoming_webhooks import IncomingWebhooks
from hubdeck.services.ingest import Ingest
from hubdeck.services.login import LoginService, LoginStart
from hubdeck.services.metrics import MetricsService
from hubdeck.services.notifications import NotificationService
from hubdeck.services.pool import PoolService
from hubdeck.services.repositories import RepositoryService
from hubdeck.services.scheduler import SyncScheduler
from hubdeck.services.teams import TeamService
from hubdeck.services.webhook_dispatcher import WebhookDispatcher
from hubdeck.services.webhooks import WebhookService
from hubdeck.services.widget_data import WidgetDataService

if TYPE_CHECKING:
    from hubdeck.services.caching import ComputeCache
    from hubdeck.services.preferences import PreferenceService
    from hubdeck.services.sessions import SessionService
    from hubdeck.web.realtime.node import RealtimeNode


@dataclass
class Infrastructure:
    cache: Cache
    broadcaster: Broadcaster
    keyvalue: KeyValue
    locks: Locks
    history: ChannelHistory
    presence: Presence
    stream: ChannelStream


@dataclass
class Runtime:
    settings: Settings
    infra: Infrastructure
    users: UserStore
    sessions: SessionStore
    authenticator: Authenticator
    realtime: RealtimeNode
    bus: EventBus
    login: LoginService
    login_redirect: Callable[[LoginStart], str]
    teams: TeamService
    repositories: RepositoryService
    ingest: Ingest
    scheduler: SyncScheduler
    metrics: MetricsService
    github_webhooks: GitHubWebhooks
    activity: ActivityService
    audit: AuditService
    comments: CommentService
    annotations: AnnotationService
    notifications: NotificationService
    webhooks: WebhookService
    webhook_dispatcher: WebhookDispatcher
    incoming_webhooks: IncomingWebhooks
    dashboards: DashboardService
    widget_data: WidgetDataService
    health_checks: list[HealthCheck] = field(default_factory=list)
    backends: dict[str, str] = field(default_factory=dict)
    session_service: SessionService | None = None
    preferences: PreferenceService | None = None
    rate_limiter: RateLimits | None = None
    compute_cache: ComputeCache | None = None
    pool: PoolService | None = None
