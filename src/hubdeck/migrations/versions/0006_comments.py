"""Comments on dashboards and widgets

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hubdeck.adapters.db.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dashboard_comments",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("dashboard_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("thread_id", ID, nullable=True),
        sa.Column("widget_id", sa.String(length=64), nullable=True),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("edited_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_dashboard_comments_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_id"],
            ["dashboards.id"],
            name=op.f("fk_dashboard_comments_dashboard_id_dashboards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["users.id"],
            name=op.f("fk_dashboard_comments_resolved_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_dashboard_comments_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_comments")),
    )
    op.create_index(
        "ix_dashboard_comments_dashboard_id",
        "dashboard_comments",
        ["dashboard_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_dashboard_comments_dashboard_id", table_name="dashboard_comments")
    op.drop_table("dashboard_comments")
