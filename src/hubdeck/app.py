"""The composition root: ``create_app(settings)`` picks the adapters and wires everything.

This is the only module that knows whether HubDeck runs embedded (SQLite, memory) or scaled out
(PostgreSQL, Redis). Importing it does nothing; connections open and close in the lifespan.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path

import redis.asyncio as aioredis
from fastapi import FastAPI
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck import __version__
from hubdeck.adapters.crypto import FernetSecretBox
from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.activity import DbActivityLog
from hubdeck.adapters.db.comments import DbCommentStore
from hubdeck.adapters.db.credentials import DbTokenStore
from hubdeck.adapters.db.dashboards import DbDashboardStore
from hubdeck.adapters.db.deliveries import DbDeliveryLog
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.incoming_webhooks import DbIncomingWebhookStore
from hubdeck.adapters.db.journal import DbEventJournal
from hubdeck.adapters.db.notifications import DbNotificationStore
from hubdeck.adapters.db.pool import DbPoolCredentialStore
from hubdeck.adapters.db.preferences import DbPreferenceStore
from hubdeck.adapters.db.sessions import DbSessionStoreWithConnections
from hubdeck.adapters.db.sync_jobs import DbSyncJobs
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.adapters.db.webhooks import DbWebhookStore
from hubdeck.adapters.github import ETagStore, authorize_url
from hubdeck.adapters.github.apps import GitHubCredentialAuthority
from hubdeck.adapters.github.pooled import PooledGitHubClient
from hubdeck.adapters.health import DatabaseCheck, RedisCheck
from hubdeck.adapters.memory import (
    MemoryBroadcaster,
    MemoryCache,
    MemoryChannelHistory,
    MemoryKeyValue,
    MemoryLocks,
    MemoryPresence,
)
from hubdeck.adapters.memory.pool import MemoryRatePool
from hubdeck.adapters.memory.stream import MemoryChannelStream
from hubdeck.adapters.ratelimit import LimitsRateLimiter, memory_storage, redis_storage
from hubdeck.adapters.redis import (
    RedisBroadcaster,
    RedisCache,
    RedisChannelHistory,
    RedisKeyValue,
    RedisLocks,
    RedisPresence,
)
from hubdeck.adapters.redis.pool import RedisRatePool
from hubdeck.adapters.redis.sessions import RedisSessionStore
from hubdeck.adapters.redis.stream import RedisChannelStream
from hubdeck.adapters.webhooks.sender import HttpWebhookSender
from hubdeck.config import Settings
from hubdeck.core.clock import Clock, SystemClock
from hubdeck.core.events import DomainEvent
from hubdeck.core.pool.model import PoolLimits
from hubdeck.core.sessions import SessionPolicy
from hubdeck.core.webhooks.targets import AllowList
from hubdeck.ports import Broadcaster, HealthCheck, RatePool
from hubdeck.runtime import Infrastructure, Runtime
from hubdeck.services.activity import ActivityService
from hubdeck.services.annotations import AnnotationService
from hubdeck.services.audit import AuditService
from hubdeck.services.auth import Authenticator
from hubdeck.services.caching import CacheMetrics, ComputeCache, CountingCache
from hubdeck.services.channel_access import ChannelAccess
from hubdeck.services.comments import CommentService
from hubdeck.services.dashboards import DashboardService
from hubdeck.services.digests import DigestScheduler, DigestService
from hubdeck.services.events import EventBus, EventRelay
from hubdeck.services.github_webhooks import GitHubWebhooks
from hubdeck.services.incoming_webhooks import IncomingWebhooks
from hubdeck.services.ingest import Ingest
from hubdeck.services.login import LoginService, LoginStart, OAuthApp
from hubdeck.services.metrics import MetricsService
from hubdeck.services.notifications import NotificationService
from hubdeck.services.pool import PoolService
from hubdeck.services.preferences import PreferenceService
from hubdeck.services.repositories import RepositoryService
from hubdeck.services.scheduler import SharedQueue, SyncScheduler
from hubdeck.services.sessions import (
    REVOKED_TOPIC,
    ROTATED_TOPIC,
    SessionService,
    announced_sessions,
)
from hubdeck.services.sync import SyncService
from hubdeck.services.teams import TeamService
from hubdeck.services.webhook_dispatcher import WebhookDispatcher
from hubdeck.services.webhooks import WebhookService
from hubdeck.services.widget_data import WidgetDataService
from hubdeck.web.errors import install_error_handlers
from hubdeck.web.middleware import RequestContextMiddleware
from hubdeck.web.observability import install_observability
from hubdeck.web.ratelimit import RateLimitMiddleware
from hubdeck.web.realtime.broker import ACCESS_TOPIC, Broker
from hubdeck.web.realtime.dashboard_rpc import register_dashboard_rpc
from hubdeck.web.realtime.endpoint import websocket_endpoint
from hubdeck.web.realtime.node import RealtimeNode
from hubdeck.web.realtime.publisher import LivePublisher
from hubdeck.web.realtime.rpc import RpcDispatcher
from hubdeck.web.realtime.telemetry import RealtimeMetrics
from hubdeck.web.routes import (
    activity,
    auth,
    health,
    members,
    meta,
    metrics,
    observability,
    teams,
)
from hubdeck.web.routes import comments as comment_routes
from hubdeck.web.routes import dashboards as dashboard_routes
from hubdeck.web.routes import github_webhooks as github_webhook_routes
from hubdeck.web.routes import incoming_webhooks as incoming_webhook_routes
from hubdeck.web.routes import (
    notifications as notification_routes,
)
from hubdeck.web.routes import pool as pool_routes
from hubdeck.web.routes import sessions as session_routes
from hubdeck.web.routes import webhooks as webhook_routes
from hubdeck.web.static import STATIC_DIR, mount_frontend

# How long an idle channel keeps its stream position: a client away for longer than this
# resubscribes without recovery, as it would once history has aged out anyway.
_HISTORY_META_TTL_FACTOR = 2


class SchemaOutOfDate(RuntimeError):
    pass


async def prepare_database(settings: Settings, engine: AsyncEngine) -> None:
    """Bring the embedded SQLite schema up to date; never touch PostgreSQL silently."""
    url = settings.resolved_database_url
    if settings.is_sqlite:
        await migrate.upgrade(url)
        return
    current = await migrate.current_revision(url)
    head = migrate.head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"the database schema is at {current or 'nothing'}, this HubDeck needs {head}: "
            "run `hubdeck db upgrade`"
        )


def _memory_infrastructure(settings: Settings) -> Infrastructure:
    history = MemoryChannelHistory(
        max_size=settings.history_size,
        max_age=settings.history_max_age,
        meta_ttl=settings.history_max_age * _HISTORY_META_TTL_FACTOR,
    )
    return Infrastructure(
        cache=MemoryCache(),
        broadcaster=MemoryBroadcaster(),
        keyvalue=MemoryKeyValue(),
        locks=MemoryLocks(),
        history=history,
        presence=MemoryPresence(),
        stream=MemoryChannelStream(history),
    )


def _redis_infrastructure(
    settings: Settings, client: aioredis.Redis
) -> tuple[Infrastructure, RedisBroadcaster]:
    prefix = settings.redis_prefix
    broadcaster = RedisBroadcaster(client, prefix)
    infra = Infrastructure(
        cache=RedisCache(client, prefix),
        broadcaster=broadcaster,
        keyvalue=RedisKeyValue(client, prefix),
        locks=RedisLocks(client, prefix),
        history=RedisChannelHistory(
            client,
            prefix,
            max_size=settings.history_size,
            max_age=settings.history_max_age,
            meta_ttl=settings.history_max_age * _HISTORY_META_TTL_FACTOR,
        ),
        presence=RedisPresence(client, prefix),
        stream=RedisChannelStream(
            client,
            prefix,
            broadcaster,
            max_size=settings.history_size,
            max_age=settings.history_max_age,
            meta_ttl=settings.history_max_age * _HISTORY_META_TTL_FACTOR,
        ),
    )
    return infra, broadcaster


async def build_runtime(
    settings: Settings,
    stack: AsyncExitStack,
    *,
    background: bool = True,
    clock: Clock | None = None,
) -> Runtime:
    engine = create_engine(settings.resolved_database_url, pool_size=settings.database_pool_size)
    stack.push_async_callback(engine.dispose)
    await prepare_database(settings, engine)

    checks: list[HealthCheck] = [DatabaseCheck(engine)]
    backends = {"database": engine.dialect.name, "redis": "memory"}
    redis_client: aioredis.Redis | None = None
    pool_state: RatePool
    if settings.redis_url is None:
        infra = _memory_infrastructure(settings)
        pool_state = MemoryRatePool()
    else:
        # Blocking pool: a burst of publishes waits for a free connection instead of failing.
        pool = aioredis.BlockingConnectionPool.from_url(
            settings.redis_url,
            max_connections=64,
            timeout=10,
            socket_connect_timeout=2,
            # After a Redis restart every pooled connection is dead; a command on one is tried
            # again on a fresh connection instead of failing (a subscribe, a publish).
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 2),
        )
        client = aioredis.Redis.from_pool(pool)
        redis_client = client
        stack.push_async_callback(client.aclose)
        infra, broadcaster = _redis_infrastructure(settings, client)
        pool_state = RedisRatePool(client, settings.redis_prefix)
        stack.push_async_callback(broadcaster.close)
        checks.append(RedisCheck(client))
        backends["redis"] = "redis"

    clock = clock or SystemClock()
    secret_key = settings.resolved_secret_key()
    sessions = _session_store(engine, redis_client, settings)
    authenticator = Authenticator(
        sessions,
        _session_policy(settings),
        clock,
        secret_key,
        remember_for=settings.auth_cache_seconds,
    )
    users = DbUserStore(engine)
    team_store = DbTeamStore(engine)
    github_store = DbGitHubStore(engine)
    box = FernetSecretBox(secret_key)
    bus = EventBus(DbEventJournal(engine), clock)

    cache_metrics = CacheMetrics()
    compute_cache = ComputeCache(
        infra.cache, infra.locks, cache_metrics, enabled=settings.compute_cache
    )
    etags = ETagStore(CountingCache(infra.cache, cache_metrics, "github_etag"))
    github = PooledGitHubClient(str(settings.github_api_url), etags=etags)
    stack.push_async_callback(github.aclose)
    base = str(settings.public_url).rstrip("/")
    oauth_app = OAuthApp(
        web_url=str(settings.github_web_url).rstrip("/"),
        client_id=settings.github_client_id,
        client_secret=settings.github_client_secret.get_secret_value(),
        redirect_uri=f"{base}/auth/github/callback",
    )
    login = LoginService(
        github,
        oauth_app,
        infra.keyvalue,
        users,
        DbTokenStore(engine),
        box,
        authenticator,
        team_store,
        bus,
        clock,
    )

    async def publish_one(event: DomainEvent) -> None:
        await bus.publish([event])

    team_service = TeamService(
        team_store,
        clock,
        login.organizations_of,
        publish_one,
        remember_for=settings.auth_cache_seconds,
    )

    def login_redirect(start: LoginStart) -> str:
        return authorize_url(
            oauth_app.web_url,
            client_id=oauth_app.client_id,
            redirect_uri=oauth_app.redirect_uri,
            state=start.state,
            code_verifier=start.code_verifier,
        )

    rate_pool = PoolService(
        pool_state,
        DbPoolCredentialStore(engine),
        infra.keyvalue,
        box,
        team_store,
        users,
        github_store,
        infra.stream,
        GitHubCredentialAuthority(github.http, str(settings.github_api_url)),
        login.token_of,
        login.token_revoked,
        bus.publish,
        clock,
        limits=PoolLimits(
            max_concurrent=settings.pool_max_concurrent,
            points_per_minute=settings.pool_points_per_minute,
        ),
    )
    github.attach(rate_pool)
    stack.push_async_callback(rate_pool.stop)
    repositories = RepositoryService(
        github, github_store, team_store, team_service, login, bus, clock
    )
    ingest = Ingest(github_store, bus, clock)
    scheduler = SyncScheduler(
        SyncService(github, ingest),
        repositories,
        team_store,
        login,
        interval=settings.sync_interval,
        pool=rate_pool,
        # Across processes when they share Redis: one round per cluster, jobs claimed once.
        shared=None
        if settings.redis_url is None
        else SharedQueue(DbSyncJobs(engine), infra.locks, infra.broadcaster, clock),
    )
    metrics_service = MetricsService(github_store, team_service, compute_cache, clock)
    activity_log = DbActivityLog(engine)
    activity_service = ActivityService(activity_log, team_service)
    bus.subscribe("activity", activity_service.record, durable=True)
    notification_store = DbNotificationStore(engine)
    notifications = NotificationService(
        notification_store, team_store, users, github_store, infra.stream, clock
    )
    digest_scheduler = DigestScheduler(DigestService(notification_store, notifications, clock))
    bus.subscribe("notifications", notifications.on_events, durable=True)
    bus.subscribe("sync-on-follow", scheduler.on_events)
    # Before "realtime" (below): a page refetching on an event must not get a stale report.
    bus.subscribe("metrics-cache", metrics_service.invalidate)
    dashboard_store = DbDashboardStore(engine)
    dashboards = DashboardService(
        dashboard_store,
        team_store,
        users,
        infra.stream,
        infra.locks,
        clock,
        public_url=base,
        publish=publish_one,
    )
    comments = CommentService(
        DbCommentStore(engine),
        dashboards.access,
        team_store,
        users,
        infra.stream,
        publish_one,
        clock,
    )
    widget_data = WidgetDataService(
        github_store,
        team_store,
        activity_log,
        dashboard_store,
        compute_cache,
        infra.keyvalue,
        infra.stream,
        clock,
    )
    # Bumps data versions, then tells open dashboards which widgets to refetch.
    bus.subscribe("dashboard-widget-data", widget_data.on_events)
    github_webhooks = GitHubWebhooks(
        ingest, github_store, team_store, team_service, DbDeliveryLog(engine), box, clock
    )
    stack.push_async_callback(github_webhooks.drain)
    annotations = AnnotationService(
        DbIncomingWebhookStore(engine), team_service, team_store, publish_one, clock
    )
    webhooks, webhook_dispatcher, incoming_webhooks = await _webhooks(
        settings, stack, engine, team_service, team_store, box, clock, bus, publish_one, annotations
    )
    bus.subscribe("release-annotations", annotations.on_events)
    realtime_metrics = RealtimeMetrics()
    broker = Broker(
        infra.stream,
        infra.history,
        infra.presence,
        infra.broadcaster,
        ChannelAccess(team_store, dashboards.may_view),
        realtime_metrics,
        recovery_max=settings.history_size,
    )
    bus.subscribe("realtime", LivePublisher(infra.stream, team_store, realtime_metrics).on_events)
    bus.subscribe("channel-access", broker.on_events)
    rpc = RpcDispatcher()
    register_dashboard_rpc(rpc, dashboards)
    realtime = RealtimeNode(
        authenticator,
        broker,
        realtime_metrics,
        users,
        ping_interval=settings.ws_ping_interval,
        pong_timeout=settings.ws_pong_timeout,
        max_queued_bytes=settings.ws_max_queued_bytes,
        rpc=rpc,
    )
    await realtime.start()
    stack.push_async_callback(realtime.stop)
    for collector in (cache_metrics.lookups, cache_metrics.computations):
        realtime_metrics.registry.register(collector)
    realtime_metrics.registry.register(cache_metrics.invalidations)
    session_service = SessionService(
        authenticator, sessions, infra.stream, infra.broadcaster, clock
    )
    realtime.sessions = session_service
    await _forget_on_access_changes(infra.broadcaster, stack, authenticator, team_service)
    for topic, handler in (
        (REVOKED_TOPIC, realtime.on_sessions_revoked),
        (ROTATED_TOPIC, realtime.on_sessions_rotated),
    ):
        subscription = await infra.broadcaster.subscribe(topic, handler)
        stack.push_async_callback(subscription.close)
    login.on_authorization_revoked = session_service.end_all
    limiter_storage = (
        memory_storage()
        if settings.redis_url is None
        else redis_storage(settings.redis_url, settings.redis_prefix)
    )
    rate_limiter = LimitsRateLimiter(
        limiter_storage,
        {
            "api:session": settings.rate_limit_api_per_session,
            "api:ip": settings.rate_limit_api_per_ip,
            "signin:ip": settings.rate_limit_signin_per_ip,
            "webhooks:ip": settings.rate_limit_webhooks_per_ip,
        },
    )
    if background:
        await scheduler.start()
        stack.push_async_callback(scheduler.stop)
        await webhook_dispatcher.start()
        stack.push_async_callback(webhook_dispatcher.stop)
        relay = EventRelay(bus)
        await relay.start()
        stack.push_async_callback(relay.stop)
        await digest_scheduler.start()
        stack.push_async_callback(digest_scheduler.stop)
    return Runtime(
        settings=settings,
        infra=infra,
        users=users,
        sessions=sessions,
        authenticator=authenticator,
        realtime=realtime,
        bus=bus,
        login=login,
        login_redirect=login_redirect,
        teams=team_service,
        repositories=repositories,
        ingest=ingest,
        scheduler=scheduler,
        metrics=metrics_service,
        github_webhooks=github_webhooks,
        activity=activity_service,
        audit=AuditService(activity_log, team_service, users, publish_one, clock),
        comments=comments,
        annotations=annotations,
        notifications=notifications,
        webhooks=webhooks,
        webhook_dispatcher=webhook_dispatcher,
        incoming_webhooks=incoming_webhooks,
        dashboards=dashboards,
        widget_data=widget_data,
        health_checks=checks,
        backends=backends,
        session_service=session_service,
        preferences=PreferenceService(DbPreferenceStore(engine), infra.stream, clock),
        rate_limiter=rate_limiter if settings.rate_limits else None,
        compute_cache=compute_cache,
        pool=rate_pool,
    )


async def _forget_on_access_changes(
    broadcaster: Broadcaster,
    stack: AsyncExitStack,
    authenticator: Authenticator,
    teams: TeamService,
) -> None:
    """Sessions revoked or rotated, and memberships changed, through any process: this one
    forgets what it remembered of them (``services/recent.py``). Subscribed before the
    real-time handlers of the same topics, so a request that follows a socket's closing is
    refused too."""

    def sessions_changed(topic: str, payload: bytes) -> None:
        authenticator.forget(announced_sessions(payload))

    def access_changed(topic: str, payload: bytes) -> None:
        try:
            teams.forget_user(int(payload))
        except ValueError:
            teams.forget_all()

    def reconnected() -> None:
        # Whatever was broadcast while disconnected never arrives.
        authenticator.forget_all()
        teams.forget_all()

    for topic, handler in (
        (REVOKED_TOPIC, sessions_changed),
        (ROTATED_TOPIC, sessions_changed),
        (ACCESS_TOPIC, access_changed),
    ):
        subscription = await broadcaster.subscribe(topic, handler)
        stack.push_async_callback(subscription.close)
    broadcaster.on_reconnected(reconnected)


def _session_store(
    engine: AsyncEngine, redis_client: aioredis.Redis | None, settings: Settings
) -> DbSessionStoreWithConnections | RedisSessionStore:
    """Sessions in Redis when configured (every process sees a revocation at once), else in
    the database (they survive a restart of the single process)."""
    if redis_client is None:
        return DbSessionStoreWithConnections(engine)
    return RedisSessionStore(redis_client, settings.redis_prefix)


def _session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle_timeout=timedelta(seconds=settings.session_idle_timeout),
        absolute_timeout=timedelta(seconds=settings.session_absolute_timeout),
    )


async def _webhooks(
    settings: Settings,
    stack: AsyncExitStack,
    engine: AsyncEngine,
    team_service: TeamService,
    team_store: DbTeamStore,
    box: FernetSecretBox,
    clock: Clock,
    bus: EventBus,
    publish: Callable[[DomainEvent], Awaitable[None]],
    annotations: AnnotationService,
) -> tuple[WebhookService, WebhookDispatcher, IncomingWebhooks]:
    """Outgoing webhooks (endpoints, the outbox consumer, the dispatcher) and incoming ones."""
    sender = HttpWebhookSender(
        AllowList.parse(settings.webhook_allowed_hosts), timeout=settings.webhook_timeout
    )
    stack.push_async_callback(sender.aclose)
    store = DbWebhookStore(engine)
    dispatcher = WebhookDispatcher(
        store,
        sender,
        box,
        clock,
        publish,
        timeout=settings.webhook_timeout,
        scale=settings.webhook_retry_scale,
    )
    service = WebhookService(
        store,
        team_service,
        team_store,
        sender,
        box,
        clock,
        disabled_backlog=settings.webhook_disabled_backlog,
        wake=dispatcher.wake,
    )
    bus.subscribe("webhooks", service.on_events, durable=True)
    incoming = IncomingWebhooks(
        DbIncomingWebhookStore(engine), team_service, box, clock, publish, annotations
    )
    return service, dispatcher, incoming


def tune_garbage_collector() -> None:
    """Raise the first generation's threshold and move everything alive after start-up out of
    the collector's reach: a full collection then walks only what serving creates. Measured
    with bench/fanout.py: at 5,000 clients, 44 % of the server's CPU went to GC before."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def create_app(
    settings: Settings,
    *,
    static_dir: Path = STATIC_DIR,
    background: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    """``background``: run the sync scheduler in this process (off for web-only nodes)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.runtime = await build_runtime(
                settings, stack, background=background, clock=clock
            )
            if settings.gc_tuning:
                tune_garbage_collector()
            yield

    app = FastAPI(
        title="HubDeck",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        # FastAPI's own OpenTelemetry looks up the global providers on every request; HubDeck's
        # observability is its Prometheus metrics and structured logs (docs/operations.md).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    install_error_handlers(app)
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    # Request metrics by route, and what /metrics serves (docs/operations.md).
    install_observability(app)
    app.include_router(health.router)
    app.include_router(meta.router)
    app.include_router(auth.router)
    app.include_router(teams.router)
    app.include_router(metrics.router)
    app.include_router(github_webhook_routes.router)
    app.include_router(activity.router)
    app.include_router(observability.router)
    app.include_router(notification_routes.router)
    app.include_router(members.router)
    app.include_router(comment_routes.router)
    app.include_router(webhook_routes.router)
    app.include_router(incoming_webhook_routes.router)
    app.include_router(dashboard_routes.router)
    app.include_router(session_routes.router)
    app.include_router(pool_routes.router)
    app.add_api_websocket_route("/connection/websocket", websocket_endpoint)
    # Last: its catch-all route must not shadow the API.
    mount_frontend(app, static_dir)
    return app
