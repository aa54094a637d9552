"""The event journal and the shared sync queue

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hubdeck.adapters.db.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_journal",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("hold_until", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_journal")),
    )
    op.create_index("ix_event_journal_hold_until", "event_journal", ["hold_until"])
    op.create_table(
        "sync_jobs",
        sa.Column("repository_id", _ID, nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("claim", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repositories.id"],
            name=op.f("fk_sync_jobs_repository_id_repositories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("repository_id", name=op.f("pk_sync_jobs")),
    )
    op.create_index("ix_sync_jobs_priority_requested_at", "sync_jobs", ["priority", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_jobs_priority_requested_at", table_name="sync_jobs")
    op.drop_table("sync_jobs")
    op.drop_index("ix_event_journal_hold_until", table_name="event_journal")
    op.drop_table("event_journal")
