"""Notification digests: each user's digest frequency and the last period claimed

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hubdeck.adapters.db.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In batch mode: SQLite alters a table by copying it, PostgreSQL in place.
    with op.batch_alter_table("notification_preferences") as batch:
        batch.add_column(
            sa.Column("digest", sa.String(length=8), server_default="off", nullable=False)
        )
        batch.add_column(sa.Column("digest_period", UTCDateTime(), nullable=True))
        batch.create_index("ix_notification_preferences_digest", ["digest"])


def downgrade() -> None:
    with op.batch_alter_table("notification_preferences") as batch:
        batch.drop_index("ix_notification_preferences_digest")
        batch.drop_column("digest_period")
        batch.drop_column("digest")
