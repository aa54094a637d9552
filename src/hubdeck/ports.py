"""Interfaces the services depend on; adapters in ``hubdeck.adapters`` implement them.

Every shared-infrastructure port has a memory adapter (the embedded default, one process) and a
Redis adapter (scale-out, several processes). Both must behave the same: ``tests/contract`` runs
one suite against both. Values are ``bytes`` so callers choose their encoding once (an event is
encoded once and the same bytes go everywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from hubdeck.core.comments.model import Comment as DashboardComment
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import (
    Account,
    Comment,
    Commit,
    Issue,
    PullRequest,
    Release,
    Repository,
    RepositorySnapshot,
    Review,
    WorkflowRun,
)
from hubdeck.core.github.ratelimit import RateLimit
from hubdeck.core.notifications import Notification, NotificationDraft, Preferences
from hubdeck.core.pool.model import PoolLimits
from hubdeck.core.sessions import SessionRecord
from hubdeck.core.users import Membership, Role, Team, User
from hubdeck.core.webhooks.model import (
    Annotation,
    Attempt,
    ClaimedMessage,
    EncryptedSecrets,
    Endpoint,
    IncomingHook,
    Message,
    MessageStatus,
    MetricPoint,
    NewMessage,
    OutboxState,
)
from hubdeck.core.webhooks.outcome import AttemptResult


class Cache(Protocol):
    """A cache of computed values, each with a time to live and optional tags.

    ``invalidate_tag`` drops every entry set with that tag, so a domain event can invalidate all
    the values derived from one object without knowing their keys.
    """

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str] = ()) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def invalidate_tag(self, tag: str) -> int:
        """Drop every live entry tagged ``tag``; return how many were dropped."""
        ...


MessageHandler = Callable[[str, bytes], None]
"""Called with (topic, payload) for each message, in publish order per topic.

Synchronous on purpose: fan-out runs on the hot path, and a task per message costs more than the
work. A handler must not block; it hands the payload on (e.g. to connection queues) and returns.
"""


class Subscription(Protocol):
    async def close(self) -> None: ...


class Broadcaster(Protocol):
    """Publish/subscribe between all processes of a deployment (at most once, no history)."""

    async def publish(self, topic: str, payload: bytes) -> None: ...

    async def subscribe(self, topic: str, handler: MessageHandler) -> Subscription:
        """Start delivering ``topic`` to ``handler``; messages published after this returns
        are delivered."""
        ...

    def on_reconnected(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever delivery resumes after an interruption (messages
        published during it are lost)."""
        ...


class KeyValue(Protocol):
    """Small values with optional expiry, and atomic counters."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None: ...

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        """Set ``key`` only if it does not exist; return whether it was set."""
        ...

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        """Add ``amount`` atomically and return the new value; a missing key counts as 0.

        ``ttl`` applies only when this call creates the key (a fixed window, not a sliding one).
        """
        ...

    async def delete(self, key: str) -> bool: ...

    async def ttl(self, key: str) -> float | None:
        """Seconds left before ``key`` expires; None if it has no expiry or does not exist."""
        ...


class Locks(Protocol):
    """Leases: a lock that expires unless its holder extends it, so a dead holder frees it."""

    async def acquire(self, name: str, lease: float) -> str | None:
        """Take ``name`` for ``lease`` seconds; return a token, or None if it is held."""
        ...

    async def extend(self, name: str, token: str, lease: float) -> bool:
        """Renew a held lease; False if ``token`` no longer holds it."""
        ...

    async def release(self, name: str, token: str) -> bool:
        """Release if ``token`` still holds it; False otherwise (expired, taken over)."""
        ...


@dataclass(frozen=True, slots=True)
class StreamPosition:
    offset: int
    epoch: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    offset: int
    data: bytes


class ChannelHistory(Protocol):
    """Per-channel publication history with Centrifuge-style stream positions.

    Offsets start at 1 and increase by one per append. The epoch identifies one unbroken stream:
    it changes whenever history is lost (process restart for memory, Redis restart or expiry for
    Redis), so a client holding an old (offset, epoch) learns it cannot recover. History is bounded
    by count (oldest dropped) and by age (entries older than the adapter's ``max_age`` are not
    returned).
    """

    async def append(self, channel: str, data: bytes) -> StreamPosition:
        """Store ``data`` as the channel's next publication; return its position."""
        ...

    async def top(self, channel: str) -> StreamPosition:
        """The channel's latest position (offset 0 when nothing was published)."""
        ...

    async def since(
        self, channel: str, offset: int, limit: int | None = None
    ) -> tuple[list[HistoryEntry], StreamPosition]:
        """Entries with an offset greater than ``offset``, ascending, at most ``limit`` (the
        oldest ones), and the channel's current top position."""
        ...


PublicationHandler = Callable[[str, int, str, bytes], None]
"""Called with (channel, offset, epoch, data) for each publication, in offset order."""


class ChannelStream(Protocol):
    """Publications with positions, to every process: ``publish`` appends to the channel's
    history and fans out in one step, so every receiver sees a channel's publications in
    offset order, each once."""

    async def publish(self, channel: str, data: bytes) -> StreamPosition: ...

    async def subscribe(self, channel: str, handler: PublicationHandler) -> Subscription:
        """Deliver the channel's publications made after this returns."""
        ...


@dataclass(frozen=True, slots=True)
class PresenceInfo:
    client: str
    user: str
    conn_info: bytes | None = None


class Presence(Protocol):
    """Who is connected to a channel. Entries expire unless refreshed, so the viewers of a
    crashed process disappear without anyone removing them."""

    async def add(self, channel: str, info: PresenceInfo, ttl: float) -> None:
        """Add or refresh ``info.client`` in ``channel`` for ``ttl`` seconds."""
        ...

    async def remove(self, channel: str, client: str) -> None: ...

    async def members(self, channel: str) -> dict[str, PresenceInfo]:
        """Live entries by client id."""
        ...

    async def stats(self, channel: str) -> tuple[int, int]:
        """(number of clients, number of distinct users) among live entries."""
        ...


class HealthCheck(Protocol):
    """Something /readyz reports on."""

    name: str

    async def check(self) -> None:
        """Return if healthy; raise with a readable message otherwise."""
        ...


class UserStore(Protocol):
    async def add(
        self,
        login: str,
        *,
        name: str | None = None,
        avatar_url: str | None = None,
        github_id: int | None = None,
    ) -> User: ...

    async def get(self, user_id: int) -> User | None: ...

    async def upsert_github(
        self, github_id: int, login: str, name: str | None, avatar_url: str | None
    ) -> User:
        """Create or update the user of a GitHub account (logins can change; ids do not)."""
        ...

    async def find_logins(self, logins: Sequence[str]) -> dict[str, User]: ...

    async def get_many(self, user_ids: Sequence[int]) -> dict[int, User]: ...


class SessionStore(Protocol):
    """Server-side sessions, keyed by the hash of their opaque id."""

    async def create(self, record: SessionRecord) -> None: ...

    async def get(self, id_hash: str) -> SessionRecord | None: ...

    async def touch(self, id_hash: str, seen_at: datetime) -> None: ...

    async def revoke(self, id_hash: str, revoked_at: datetime) -> bool:
        """Mark revoked; False if there was no such live session."""
        ...

    async def list_for_user(self, user_id: int) -> list[SessionRecord]: ...

    async def revoke_user(
        self, user_id: int, revoked_at: datetime, keep: str | None = None
    ) -> list[str]:
        """Revoke every live session of the user but ``keep``; the hashes revoked."""
        ...

    async def add_connection(self, id_hash: str, client_id: str) -> None:
        """Record an open WebSocket connection of the session."""
        ...

    async def remove_connection(self, id_hash: str, client_id: str) -> None: ...

    async def connections(self, id_hash: str) -> set[str]:
        """The open connections recorded for the session (on every process)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredRepository:
    id: int
    repository: Repository
    languages: dict[str, int]
    synced_at: datetime | None


@dataclass(frozen=True, slots=True)
class SyncState:
    full_name: str
    synced_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredObject:
    kind: str
    key: str
    data: dict[str, Any]
    occurred_at: datetime | None


class GitHubStore(Protocol):
    """Synced GitHub data: repositories, and their objects by kind and key."""

    async def upsert_repository(
        self, repository: Repository, languages: dict[str, int] | None
    ) -> tuple[StoredRepository, StoredRepository | None]: ...

    async def get_repository(self, repository_id: int) -> StoredRepository | None: ...

    async def find_repository(self, github_id: int) -> StoredRepository | None: ...

    async def mark_synced(self, repository_id: int, when: datetime) -> None: ...

    async def load_objects(
        self, repository_id: int, kind: str, keys: Sequence[str]
    ) -> dict[str, dict[str, Any]]: ...

    async def save_objects(self, repository_id: int, objects: Sequence[StoredObject]) -> None: ...

    async def commit(
        self,
        repository_id: int,
        objects: Sequence[StoredObject],
        *,
        events: Sequence[DomainEvent],
        now: datetime,
        hold_until: datetime,
        repository: tuple[Repository, dict[str, int] | None] | None = None,
        synced_at: datetime | None = None,
    ) -> list[int]:
        """In one transaction: the repository's new state (if given), its changed objects,
        the sync time (if given) and the events they cause, journalled (their journal ids)."""
        ...

    async def snapshot(self, repository_id: int) -> RepositorySnapshot | None: ...

    async def sync_states(self) -> list[SyncState]:
        """Every repository some team follows, with when it was last synced."""
        ...


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    team_id: int
    token_hash: str
    role: Role
    created_by: int
    created_at: datetime
    expires_at: datetime


class TeamStore(Protocol):
    async def create(self, slug: str, name: str, github_org: str | None, owner_id: int) -> Team: ...

    async def get(self, team_id: int) -> Team | None: ...

    async def for_user(self, user_id: int) -> list[tuple[Team, Role]]: ...

    async def membership(self, team_id: int, user_id: int) -> Membership | None: ...

    async def members(self, team_id: int) -> list[Membership]: ...

    async def add_member(self, team_id: int, user_id: int, role: Role) -> bool: ...

    async def set_role(self, team_id: int, user_id: int, role: Role) -> bool: ...

    async def remove_member(self, team_id: int, user_id: int) -> bool: ...

    async def follow(self, team_id: int, repository_id: int, user_id: int) -> bool: ...

    async def unfollow(self, team_id: int, repository_id: int) -> bool: ...

    async def followed(self, team_id: int) -> list[StoredRepository]: ...

    async def is_following(self, team_id: int, repository_id: int) -> bool: ...

    async def followers(self, repository_id: int) -> list[int]: ...

    async def all_followed_repository_ids(self) -> list[int]: ...

    async def teams_for_org(self, org: str) -> list[int]: ...

    async def set_webhook_secret(self, team_id: int, encrypted: bytes) -> None: ...

    async def webhook_secrets(self, team_ids: list[int]) -> dict[int, bytes]: ...

    async def create_invitation(self, record: InvitationRecord) -> int: ...

    async def claim_invitation(
        self, token_hash: str, user_id: int, now: datetime
    ) -> InvitationRecord | None: ...


class TokenStore(Protocol):
    """Users' GitHub OAuth tokens, encrypted by the caller."""

    async def save(self, user_id: int, encrypted: bytes, scopes: str) -> None: ...

    async def get(self, user_id: int) -> bytes | None: ...

    async def invalidate(self, user_id: int) -> None: ...


class SecretBox(Protocol):
    """Symmetric encryption of secrets at rest."""

    def encrypt(self, plaintext: str) -> bytes: ...

    def decrypt(self, ciphertext: bytes) -> str: ...


T_co = TypeVar("T_co", covariant=True)


class Fetched(Protocol[T_co]):
    """A GitHub value with how it was fetched; ``not_modified``: every request was a 304."""

    @property
    def value(self) -> T_co: ...

    @property
    def not_modified(self) -> bool: ...


class AccessToken(Protocol):
    @property
    def access_token(self) -> str: ...

    @property
    def scopes(self) -> tuple[str, ...]: ...


class GitHubAPI(Protocol):
    """The GitHub REST calls HubDeck's services make (``hubdeck.adapters.github``)."""

    async def exchange_code(
        self,
        web_url: str,
        client_id: str,
        client_secret: str,
        code: str,
        code_verifier: str,
        redirect_uri: str,
    ) -> AccessToken: ...

    async def get_authenticated_user(self, token: str) -> Fetched[Account]: ...

    async def list_user_orgs(
        self, *, token: str, max_pages: int | None = None
    ) -> Fetched[list[Account]]: ...

    async def list_user_repos(
        self, *, token: str, max_pages: int | None = None
    ) -> Fetched[list[Repository]]: ...

    async def get_repository(
        self, owner: str, name: str, *, token: str | None
    ) -> Fetched[Repository]: ...

    async def get_languages(
        self, owner: str, name: str, *, token: str | None
    ) -> Fetched[dict[str, int]]: ...

    async def list_issues(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        state: str = "all",
        max_pages: int | None = None,
    ) -> Fetched[list[Issue]]: ...

    async def list_pulls(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        state: str = "all",
        sort: str = "updated",
        direction: str = "desc",
        max_pages: int | None = None,
    ) -> Fetched[list[PullRequest]]: ...

    async def get_pull(
        self, owner: str, name: str, number: int, *, token: str | None
    ) -> Fetched[PullRequest]: ...

    async def list_reviews(
        self, owner: str, name: str, number: int, *, token: str | None
    ) -> Fetched[list[Review]]: ...

    async def list_pull_commits(
        self, owner: str, name: str, number: int, *, token: str | None
    ) -> Fetched[list[Commit]]: ...

    async def list_issue_comments(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        max_pages: int | None = None,
    ) -> Fetched[list[Comment]]: ...

    async def list_workflow_runs(
        self, owner: str, name: str, *, token: str | None, max_pages: int | None = None
    ) -> Fetched[list[WorkflowRun]]: ...

    async def list_commits(
        self,
        owner: str,
        name: str,
        *,
        token: str | None,
        since: datetime | None = None,
        max_pages: int | None = None,
    ) -> Fetched[list[Commit]]: ...

    async def list_releases(
        self, owner: str, name: str, *, token: str | None, max_pages: int | None = None
    ) -> Fetched[list[Release]]: ...


class DeliveryLog(Protocol):
    async def first_time(
        self, delivery_id: str, identity: str, event: str, team_id: int | None, when: datetime
    ) -> bool: ...


class ActivityLog(Protocol):
    async def record(self, events: Sequence[DomainEvent]) -> None: ...

    async def for_team(
        self,
        team_id: int,
        *,
        limit: int,
        before: datetime | None = None,
        types: Sequence[str] = (),
        repository_id: int | None = None,
    ) -> list[DomainEvent]: ...


@dataclass(frozen=True, slots=True)
class NotificationFilter:
    limit: int = 20
    before: tuple[datetime, int] | None = None  # (updated_at, id) of the last item seen
    unread: bool = False
    archived: bool = False
    level: str | None = None
    kind: str | None = None
    team_id: int | None = None


class NotificationStore(Protocol):
    async def claim_event(self, event_id: str, at: datetime) -> bool:
        """Record that an event is being notified; False if it was already."""
        ...

    async def recent(
        self, user_id: int, group_keys: Sequence[str], since: datetime
    ) -> list[Notification]: ...

    async def insert(self, draft: NotificationDraft, at: datetime) -> Notification: ...

    async def replace(self, notification: Notification) -> None: ...

    async def page(self, user_id: int, query: NotificationFilter) -> list[Notification]: ...

    async def unread_count(self, user_id: int) -> int: ...

    async def mark_read(self, user_id: int, ids: Sequence[int] | None, at: datetime) -> None: ...

    async def archive(self, user_id: int, ids: Sequence[int], at: datetime) -> None: ...

    async def preferences(self, user_ids: Sequence[int]) -> dict[int, Preferences]: ...

    async def save_preferences(
        self, user_id: int, preferences: Preferences, digest_from: datetime | None = None
    ) -> None:
        """Save; ``digest_from`` (when given) counts as the last digest period claimed."""
        ...

    async def digest_subscribers(self) -> list[DigestSubscriber]:
        """Everyone whose digests are on."""
        ...

    async def unread_between(
        self, user_id: int, since: datetime, until: datetime
    ) -> list[Notification]:
        """Unread, unarchived notifications created in (``since``, ``until``], digests
        excepted, latest first (at most ``DIGEST_SCAN_LIMIT``)."""
        ...

    async def claim_digest(
        self, user_id: int, period: datetime, draft: NotificationDraft | None, at: datetime
    ) -> Notification | None:
        """Claim ``period`` for the user, and store ``draft`` in the same transaction; the
        stored row, or None when there was no draft or another process claimed the period
        (or a later one) first."""
        ...


@dataclass(frozen=True, slots=True)
class DigestSubscriber:
    user_id: int
    preferences: Preferences
    # The last digest period claimed; None before the first.
    last_period: datetime | None


# The most notifications one digest looks at: enough for any person's day, bounded for storms.
DIGEST_SCAN_LIMIT = 1000


# Outgoing and incoming webhooks (services/webhooks.py, services/webhook_dispatcher.py,
# services/incoming_webhooks.py).


class WebhookSender(Protocol):
    async def check(self, url: str) -> None:
        """Refuse (``TargetRefused``, ``InvalidInput``) a URL whose host is or resolves to an
        address outgoing webhooks may not reach."""

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        """One attempt: resolve, vet every address, POST to a vetted one; never raises."""


@dataclass(frozen=True, slots=True)
class ClaimedSyncJob:
    repository_id: int
    priority: int
    requested_at: datetime
    claim: str


class SyncJobs(Protocol):
    """Repositories waiting to be synced, shared by every worker process."""

    async def request(self, repository_id: int, priority: int, at: datetime) -> None: ...

    async def claim(self, now: datetime, lease: timedelta) -> ClaimedSyncJob | None: ...

    async def extend(self, job: ClaimedSyncJob, until: datetime) -> bool: ...

    async def finish(self, job: ClaimedSyncJob) -> None: ...

    async def pending(self) -> int: ...


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    event: DomainEvent
    attempts: int


@dataclass(frozen=True, slots=True)
class JournalBacklog:
    pending: int
    oldest: datetime | None
    abandoned: int


class EventJournal(Protocol):
    """Events kept until every durable consumer handled them (at least once)."""

    async def append(
        self, events: Sequence[DomainEvent], now: datetime, hold_until: datetime
    ) -> list[int]: ...

    async def done(self, ids: Sequence[int]) -> None: ...

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, max_attempts: int
    ) -> list[JournalEntry]: ...

    async def backlog(self, max_attempts: int) -> JournalBacklog: ...


class WebhookStore(Protocol):
    async def create_endpoint(
        self,
        *,
        team_id: int,
        url: str,
        description: str,
        event_types: Sequence[str],
        enabled: bool,
        secret_encrypted: bytes,
        created_by: int | None,
        at: datetime,
    ) -> Endpoint: ...

    async def endpoint(self, endpoint_id: int) -> Endpoint | None: ...

    async def endpoints(self, team_ids: Sequence[int]) -> list[Endpoint]: ...

    async def update_endpoint(
        self, endpoint_id: int, changes: dict[str, Any], at: datetime
    ) -> Endpoint | None: ...

    async def delete_endpoint(self, endpoint_id: int) -> bool: ...

    async def secrets(self, endpoint_id: int) -> EncryptedSecrets | None: ...

    async def rotate_secret(
        self, endpoint_id: int, new: bytes, previous: bytes | None, expires: datetime, at: datetime
    ) -> None: ...

    async def disable(self, endpoint_id: int, reason: str, at: datetime) -> Endpoint | None: ...

    async def replay(self, endpoint_id: int, at: datetime) -> int: ...

    async def enqueue(self, messages: Sequence[NewMessage], at: datetime, backlog: int) -> None: ...

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[ClaimedMessage]: ...

    async def next_due(self) -> datetime | None: ...

    async def record(
        self,
        claimed: ClaimedMessage,
        result: AttemptResult,
        at: datetime,
        *,
        status: MessageStatus,
        next_attempt_at: datetime,
    ) -> datetime | None: ...

    async def redeliver(self, endpoint_id: int, message_id: int, at: datetime) -> bool: ...

    async def messages(
        self,
        endpoint_id: int,
        *,
        status: MessageStatus | None,
        event_type: str | None,
        before: int | None,
        limit: int,
    ) -> list[Message]: ...

    async def message(self, endpoint_id: int, message_id: int) -> Message | None: ...

    async def attempts(
        self,
        endpoint_id: int,
        *,
        succeeded: bool | None,
        event_type: str | None,
        message_id: int | None,
        before: int | None,
        limit: int,
    ) -> list[Attempt]: ...

    async def pending_count(self, endpoint_id: int) -> int: ...

    async def outbox_state(self) -> OutboxState:
        """Pending messages of all endpoints, in one cheap query (read on every scrape)."""
        ...


class IncomingWebhookStore(Protocol):
    async def save_hook(self, hook: IncomingHook) -> None: ...

    async def hook(self, team_id: int) -> IncomingHook | None: ...

    async def hook_by_token(self, token: str) -> IncomingHook | None: ...

    async def delete_hook(self, team_id: int) -> bool: ...

    async def first_time(
        self, team_id: int, msg_id: str, at: datetime, forget_before: datetime
    ) -> bool: ...

    async def add_annotation(
        self, team_id: int, text: str, at: datetime, tags: Sequence[str], created_at: datetime
    ) -> Annotation: ...

    async def annotations(
        self, team_id: int, since: datetime | None, until: datetime | None, limit: int
    ) -> list[Annotation]: ...

    async def add_point(
        self, team_id: int, name: str, value: float, at: datetime, created_at: datetime
    ) -> MetricPoint: ...

    async def points(
        self,
        team_id: int,
        name: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
    ) -> list[MetricPoint]: ...


# --- Shared dashboards ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardRecord:
    id: int
    team_id: int
    owner_id: int
    document: dict[str, Any]  # core.dashboards.Document as JSON
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: int | None


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    dashboard_id: int
    version: int
    actor_id: int | None
    client: str
    client_op_id: str | None
    ops: list[dict[str, Any]]
    document: dict[str, Any]
    summary: str
    restored_from: int | None
    result: dict[str, Any]  # what the author was told: dropped, overwritten
    created_at: datetime


@dataclass(frozen=True, slots=True)
class GrantRecord:
    dashboard_id: int
    user_id: int | None
    team_id: int | None
    role: str
    granted_by: int | None
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class LinkRecord:
    id: int
    dashboard_id: int
    created_by: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class DashboardStore(Protocol):
    async def create(
        self, team_id: int, owner_id: int, revision: RevisionRecord
    ) -> DashboardRecord:
        """A new dashboard at ``revision`` (its ``dashboard_id`` is ignored)."""
        ...

    async def get(self, dashboard_id: int) -> DashboardRecord | None: ...

    async def delete(self, dashboard_id: int) -> bool: ...

    async def commit(self, revision: RevisionRecord) -> bool:
        """Store ``revision`` as the next version if the dashboard is still at the one before
        (compare and set); False when someone else committed first."""
        ...

    async def revisions_after(self, dashboard_id: int, version: int) -> list[RevisionRecord]:
        """Oldest first, without their documents (``document`` is empty): what rebasing and
        "changed since" read are the operations."""
        ...

    async def revisions(
        self, dashboard_id: int, *, before: int | None, limit: int
    ) -> list[RevisionRecord]:
        """Newest first."""
        ...

    async def revision(self, dashboard_id: int, version: int) -> RevisionRecord | None: ...

    async def find_client_op(
        self, dashboard_id: int, actor_id: int, client_op_id: str
    ) -> RevisionRecord | None: ...

    async def visible_to(self, user_id: int, team_ids: Sequence[int]) -> list[DashboardRecord]:
        """Owned by the user, of one of the teams, or granted to the user or one of the teams."""
        ...

    async def of_teams(self, team_ids: Sequence[int]) -> list[DashboardRecord]: ...

    async def grants(self, dashboard_ids: Sequence[int]) -> list[GrantRecord]: ...

    async def put_grant(self, grant: GrantRecord) -> GrantRecord: ...

    async def delete_grant(
        self, dashboard_id: int, *, user_id: int | None, team_id: int | None
    ) -> bool: ...

    async def create_link(
        self,
        dashboard_id: int,
        token_hash: str,
        created_by: int,
        at: datetime,
        expires_at: datetime | None,
    ) -> LinkRecord: ...

    async def links(self, dashboard_id: int) -> list[LinkRecord]:
        """Links not revoked, newest first."""
        ...

    async def link_by_hash(self, token_hash: str) -> LinkRecord | None: ...

    async def revoke_link(self, dashboard_id: int, link_id: int, at: datetime) -> bool: ...

    async def last_seen(self, dashboard_id: int, user_id: int) -> int | None: ...

    async def mark_seen(self, dashboard_id: int, user_id: int, version: int, at: datetime) -> None:
        """Keeps the highest version seen."""
        ...


# --- Comments -------------------------------------------------------------------------------


class CommentStore(Protocol):
    async def add(
        self,
        *,
        dashboard_id: int,
        team_id: int,
        thread_id: int | None,
        widget_id: str | None,
        author_id: int,
        body: str,
        at: datetime,
    ) -> DashboardComment:
        """A reply when ``thread_id`` is given, else the first comment of a new thread."""
        ...

    async def get(self, comment_id: int) -> DashboardComment | None: ...

    async def for_dashboard(self, dashboard_id: int) -> list[DashboardComment]:
        """Every comment, deleted ones included (threads keep their shape), oldest first."""
        ...

    async def edit(self, comment_id: int, body: str, at: datetime) -> DashboardComment | None: ...

    async def delete(self, comment_id: int, at: datetime) -> DashboardComment | None: ...

    async def resolve(
        self, thread_id: int, at: datetime | None, by: int | None
    ) -> DashboardComment | None:
        """Resolve (``at`` given) or reopen (None) a thread; its first comment, updated."""
        ...


class RateLimits(Protocol):
    """Our own rate limits on the HTTP API (per session, per address)."""

    async def hit(self, scope: str, key: str) -> float | None:
        """Count one request of ``key`` against the limit of ``scope``; None while within it,
        else the seconds until the caller may try again."""
        ...


class PreferenceStore(Protocol):
    """Preferences that follow a user across devices, as one JSON object."""

    async def get(self, user_id: int) -> dict[str, Any]: ...

    async def save(self, user_id: int, data: dict[str, Any], at: datetime) -> None: ...


# -- the rate-limit pool (ARCHITECTURE §7) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grant:
    """A reservation on ``credential``, or (credential None) the earliest epoch second at which
    one of the candidates may be usable again."""

    credential: str | None
    reservation: str | None
    wait_until: float = 0.0


@dataclass(frozen=True, slots=True)
class QuotaView:
    """One credential's bucket as the pool sees it; ``remaining`` None while never observed."""

    credential: str
    bucket: str
    limit: int | None
    remaining: int | None
    reset: float | None
    in_flight: int
    cooldown_until: float
    removed: bool


@dataclass(frozen=True, slots=True)
class UsageRow:
    """Requests of one team in one five-minute slot, by one dimension's value (member,
    repository or purpose); ``paid`` of them cost quota (the rest were 304s)."""

    slot: float
    dimension: str
    value: str
    requests: int
    paid: int


class RatePool(Protocol):
    """Shared quota state of the pool's credentials, with atomic reservations.

    ``reserve`` picks among ``candidates`` (credential ids already found eligible) the one to
    use, exactly as ``hubdeck.core.pool.quota.choose`` does, and records the reservation in the
    same atomic step, so that any number of processes sharing the state never reserve more than
    a credential has. Times are epoch seconds given by the caller.
    """

    async def reserve(
        self,
        candidates: Sequence[str],
        bucket: str,
        *,
        points: int,
        prefer: str | None,
        limits: PoolLimits,
        now: float,
    ) -> Grant: ...

    async def settle(
        self,
        credential: str,
        reservation: str,
        bucket: str,
        *,
        paid: bool,
        rate: RateLimit | None,
    ) -> None:
        """The reserved request was answered (or failed): release the reservation and correct
        the estimate from the answer's headers."""
        ...

    async def observe(self, credential: str, rate: RateLimit) -> None:
        """Learn a bucket's state from a free probe (``GET /rate_limit``)."""
        ...

    async def cool_down(self, credential: str, until: float) -> None:
        """No reservation on ``credential`` before ``until`` (a secondary limit)."""
        ...

    async def remove(self, credential: str) -> None:
        """Take ``credential`` out of the pool at once (GitHub answered 401)."""
        ...

    async def restore(self, credential: str) -> None: ...

    async def views(
        self, credentials: Sequence[str], bucket: str, *, limits: PoolLimits, now: float
    ) -> list[QuotaView]: ...

    async def record_usage(
        self, team_id: int, at: float, dimensions: Mapping[str, str], *, paid: bool
    ) -> None: ...

    async def usage(self, team_id: int, since: float, now: float) -> list[UsageRow]: ...


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """A shared credential of a team's pool; ``secret`` is encrypted (a token, or a GitHub
    App's private key) and never leaves the server."""

    id: int
    team_id: int
    kind: str  # "app" | "service"
    label: str
    added_by: int | None
    app_id: int | None
    installation_id: int | None
    secret: bytes
    accounts: tuple[str, ...]
    repositories: tuple[str, ...]
    status: str  # "active" | "revoked"
    created_at: datetime
    revoked_at: datetime | None


class PoolCredentialStore(Protocol):
    async def add(
        self,
        team_id: int,
        *,
        kind: str,
        label: str,
        added_by: int | None,
        secret: bytes,
        accounts: Sequence[str],
        repositories: Sequence[str],
        app_id: int | None = None,
        installation_id: int | None = None,
        at: datetime,
    ) -> StoredCredential: ...

    async def get(self, credential_id: int) -> StoredCredential | None: ...

    async def for_team(self, team_id: int) -> list[StoredCredential]: ...

    async def revoke(self, credential_id: int, at: datetime) -> bool:
        """Mark revoked; False when it already was (or does not exist)."""
        ...

    async def delete(self, team_id: int, credential_id: int) -> bool: ...

    async def followed_by(self, team_id: int, repository_id: int) -> int | None:
        """The member who made the team follow the repository."""
        ...


class CredentialAuthority(Protocol):
    """What the pool asks GitHub about credentials, outside the quota (both calls are free)."""

    async def rate_limits(self, token: str) -> list[RateLimit]:
        """Every bucket's quota (``GET /rate_limit``); raises ``Unauthorized`` on a 401."""
        ...

    async def installation_token(
        self, app_id: int, installation_id: int, private_key: str, now: float
    ) -> tuple[str, float]:
        """A new installation access token and its expiry (epoch seconds); raises
        ``Unauthorized`` when GitHub refuses the app or the installation."""
        ...

    def valid_private_key(self, private_key: str) -> bool: ...
