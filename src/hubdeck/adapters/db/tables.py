"""The database schema, as SQLAlchemy Core tables; Alembic migrations create it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from hubdeck.adapters.db.types import UTCDateTime

# Explicit constraint names, so migrations can drop and alter them on both SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger there would need explicit ids.
Id = BigInteger().with_variant(Integer(), "sqlite")

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("github_id", BigInteger, nullable=True, unique=True),
    Column("login", String(100), nullable=False, unique=True),
    Column("name", String(255), nullable=True),
    Column("avatar_url", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("github_org", String(100), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('owner', 'admin', 'member', 'viewer')", name="role"),
    Index("ix_memberships_user_id", "user_id"),
)

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the opaque id: a leaked table does not let anyone sign in.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("user_agent", Text, nullable=True),
    Column("ip", String(64), nullable=True),
    Index("ix_sessions_user_id", "user_id"),
)

# The user's GitHub OAuth token, encrypted with a key derived from the secret key.
github_tokens = Table(
    "github_tokens",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("token_encrypted", LargeBinary, nullable=False),
    Column("scopes", String(255), nullable=False, default=""),
    Column("valid", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    # Hash of the token in the invitation link; the link itself is shown once.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_by", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("accepted_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("accepted_at", UTCDateTime, nullable=True),
    CheckConstraint("role IN ('owner', 'admin', 'member', 'viewer')", name="role"),
)

repositories = Table(
    "repositories",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("github_id", BigInteger, nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("private", Boolean, nullable=False),
    # The Repository value and its languages, as JSON: read whole, never queried inside.
    Column("data", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("synced_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_repositories_full_name", "full_name"),
)

team_repositories = Table(
    "team_repositories",
    metadata,
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "repository_id", Id, ForeignKey("repositories.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("followed_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_team_repositories_repository_id", "repository_id"),
)

# Every synced GitHub object of a repository (issue, pull, review, comment, run, commit,
# release), keyed by kind and its GitHub identity. The metrics read whole objects per
# repository and kind, and sync compares whole objects, so one document table serves both
# without a table and a mapper per kind.
github_objects = Table(
    "github_objects",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("repository_id", Id, ForeignKey("repositories.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("repository_id", "kind", "key", name="uq_github_objects_identity"),
    Index(
        "ix_github_objects_repository_id_kind_occurred_at", "repository_id", "kind", "occurred_at"
    ),
)

# GitHub webhook deliveries already processed: by delivery id (redeliveries keep theirs) and
# by the event's own identity (a repository hook and an App hook deliver one event twice).
github_deliveries = Table(
    "github_deliveries",
    metadata,
    Column("delivery_id", String(64), primary_key=True),
    Column("identity", String(128), nullable=False, unique=True),
    Column("event", String(64), nullable=False),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True),
    Column("received_at", UTCDateTime, nullable=False),
)

activity = Table(
    "activity",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True),
    Column("repository_id", Id, ForeignKey("repositories.id", ondelete="CASCADE"), nullable=True),
    Column("type", String(64), nullable=False),
    Column("actor", String(100), nullable=True),
    Column("data", JSON, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Index("ix_activity_team_id_occurred_at", "team_id", "occurred_at"),
    Index("ix_activity_repository_id_occurred_at", "repository_id", "occurred_at"),
)

team_webhook_secrets = Table(
    "team_webhook_secrets",
    metadata,
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("secret_encrypted", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("level", String(16), nullable=False),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True),
    Column("group_key", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime, nullable=True),
    Column("archived_at", UTCDateTime, nullable=True),
    # The whole notification (title, body, link, subject, actor…): read whole, filtered above.
    Column("data", JSON, nullable=False),
    Index("ix_notifications_user_id_updated_at", "user_id", "updated_at"),
    Index("ix_notifications_user_id_group_key", "user_id", "group_key"),
)

notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSON, nullable=False),
    # The digest frequency, copied out of ``data`` so that finding who gets digests is a query.
    Column("digest", String(8), nullable=False, server_default="off"),
    # The last digest period claimed (sent, or found empty): one process sends each period.
    Column("digest_period", UTCDateTime, nullable=True),
    Index("ix_notification_preferences_digest", "digest"),
)

# Events already turned into notifications: the consumer is idempotent by event id.
notified_events = Table(
    "notified_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("handled_at", UTCDateTime, nullable=False),
)

# Outgoing webhooks: a team's endpoints, the outbox (one message per endpoint and event, the
# same body and webhook-id on every try) and the log of every attempt.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("description", String(500), nullable=False, default=""),
    # Event types sent; empty: every type of the catalogue.
    Column("event_types", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text, nullable=True),
    Column("disabled_at", UTCDateTime, nullable=True),
    # Encrypted with the secret box; the previous secret signs too until it expires (rotation).
    Column("secret_encrypted", LargeBinary, nullable=False),
    Column("previous_secret_encrypted", LargeBinary, nullable=True),
    Column("previous_secret_expires_at", UTCDateTime, nullable=True),
    # Since when no attempt has succeeded (None: the last one did).
    Column("failing_since", UTCDateTime, nullable=True),
    Column("created_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_webhook_endpoints_team_id", "team_id"),
)

webhook_messages = Table(
    "webhook_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "endpoint_id", Id, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    ),
    Column("msg_id", String(64), nullable=False, unique=True),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # pending (waiting or being tried) · delivered · failed (the schedule ran out, or 410)
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    # The dispatcher holding the message, until its lease (next_attempt_at) runs out.
    Column("claim", String(36), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_messages_endpoint_event"),
    CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
    Index("ix_webhook_messages_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_webhook_messages_endpoint_id_id", "endpoint_id", "id"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("message_id", Id, ForeignKey("webhook_messages.id", ondelete="CASCADE"), nullable=False),
    Column(
        "endpoint_id", Id, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    ),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", UTCDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("response_excerpt", Text, nullable=False),
    Column("error", Text, nullable=True),
    Index("ix_webhook_attempts_endpoint_id_id", "endpoint_id", "id"),
    Index("ix_webhook_attempts_message_id", "message_id"),
)

# Generic incoming webhooks: one URL (by token) and secret per team, the webhook-ids already
# accepted (replays refused), and what they post.
incoming_webhooks = Table(
    "incoming_webhooks",
    metadata,
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("secret_encrypted", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

incoming_webhook_ids = Table(
    "incoming_webhook_ids",
    metadata,
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("msg_id", String(200), primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_incoming_webhook_ids_received_at", "received_at"),
)

annotations_table = Table(
    "annotations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_annotations_team_id_at", "team_id", "at"),
)

custom_metric_points = Table(
    "custom_metric_points",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("value", Float, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_custom_metric_points_team_id_name_at", "team_id", "name", "at"),
)

# --- Shared dashboards (docs/dashboards.md) ---------------------------------------------------

dashboards = Table(
    "dashboards",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("owner_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # The whole document (title, description, widgets): read and written whole, by version.
    Column("document", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Index("ix_dashboards_team_id", "team_id"),
    Index("ix_dashboards_owner_id", "owner_id"),
)

# One row per version: the operations that made it and the document after them.
dashboard_revisions = Table(
    "dashboard_revisions",
    metadata,
    Column("dashboard_id", Id, ForeignKey("dashboards.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("actor_id", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("client", String(64), nullable=False),
    Column("client_op_id", String(64), nullable=True),
    Column("ops", JSON, nullable=False),
    Column("document", JSON, nullable=False),
    Column("summary", Text, nullable=False),
    Column("restored_from", Integer, nullable=True),
    # What the author was told (dropped, overwritten): answered again to a retried batch.
    Column("result", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_dashboard_revisions_client_op", "dashboard_id", "actor_id", "client_op_id"),
)

dashboard_grants = Table(
    "dashboard_grants",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dashboard_id", Id, ForeignKey("dashboards.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True),
    Column("role", String(16), nullable=False),
    Column("granted_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("granted_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('viewer', 'editor', 'owner')", name="role"),
    CheckConstraint("(user_id IS NULL) <> (team_id IS NULL)", name="one_subject"),
    UniqueConstraint("dashboard_id", "user_id", name="uq_dashboard_grants_user"),
    UniqueConstraint("dashboard_id", "team_id", name="uq_dashboard_grants_team"),
    Index("ix_dashboard_grants_user_id", "user_id"),
    Index("ix_dashboard_grants_team_id", "team_id"),
)

dashboard_links = Table(
    "dashboard_links",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dashboard_id", Id, ForeignKey("dashboards.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the token: a leaked database does not open the dashboards.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_dashboard_links_dashboard_id", "dashboard_id"),
)

# The version each person last looked at: "changed since you last looked".
dashboard_visits = Table(
    "dashboard_visits",
    metadata,
    Column("dashboard_id", Id, ForeignKey("dashboards.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
)

# --- Comments on dashboards and widgets (docs/comments.md) ------------------------------------

dashboard_comments = Table(
    "dashboard_comments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dashboard_id", Id, ForeignKey("dashboards.id", ondelete="CASCADE"), nullable=False),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    # The thread's first comment (its own id on a first comment, set right after the insert).
    Column("thread_id", Id, nullable=True),
    Column("widget_id", String(64), nullable=True),
    Column("author_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("edited_at", UTCDateTime, nullable=True),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("resolved_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Index("ix_dashboard_comments_dashboard_id", "dashboard_id", "created_at"),
)

# What follows a user across devices: theme, last dashboard (one JSON object per user).
user_preferences = Table(
    "user_preferences",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# The rate-limit pool's shared credentials: GitHub App installations (the secret is the app's
# private key) and machine accounts' tokens an admin added. Members' own tokens stay in
# github_tokens. ``reach``: {"accounts": [...], "repositories": [...]} a credential can see.
pool_credentials = Table(
    "pool_credentials",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("team_id", Id, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("label", String(200), nullable=False),
    Column("added_by", Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("app_id", BigInteger, nullable=True),
    Column("installation_id", BigInteger, nullable=True),
    Column("secret_encrypted", LargeBinary, nullable=False),
    Column("reach", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_pool_credentials_team_id", "team_id"),
)

# Domain events on their way to the consumers that must see each one (activity, notifications,
# outgoing webhooks). Written in the transaction of the change that caused them where the store
# allows (synced and webhooked GitHub data), else before the consumers run; deleted once they
# all did. A row whose ``hold_until`` passed is one a process died holding: the relay redoes it.
event_journal = Table(
    "event_journal",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("hold_until", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Index("ix_event_journal_hold_until", "hold_until"),
)

# Repositories waiting to be synced, shared by every worker process: one row per repository
# (a repeat request only raises its priority); a claim is a lease, so a worker that dies
# mid-sync leaves the job to another once the lease ends.
sync_jobs = Table(
    "sync_jobs",
    metadata,
    Column(
        "repository_id",
        Id,
        ForeignKey("repositories.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("priority", Integer, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),
    # Who holds it: "host:pid:nonce", for an operator (and a test) to see which process.
    Column("claim", String(120), nullable=True),
    Index("ix_sync_jobs_priority_requested_at", "priority", "requested_at"),
)
