"""The database schema, as SQLAlchemy Core tables; Alembic migrations create it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
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
)

# Events already turned into notifications: the consumer is idempotent by event id.
notified_events = Table(
    "notified_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("handled_at", UTCDateTime, nullable=False),
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
