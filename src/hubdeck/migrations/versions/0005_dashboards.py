"""Shared dashboards: documents, revisions, grants, share links, visits

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hubdeck.adapters.db.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dashboards",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_dashboards_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_dashboards_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_dashboards_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboards")),
    )
    op.create_index("ix_dashboards_owner_id", "dashboards", ["owner_id"], unique=False)
    op.create_index("ix_dashboards_team_id", "dashboards", ["team_id"], unique=False)
    op.create_table(
        "dashboard_grants",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("dashboard_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted_by", ID, nullable=True),
        sa.Column("granted_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('viewer', 'editor', 'owner')", name=op.f("ck_dashboard_grants_role")
        ),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (team_id IS NULL)", name=op.f("ck_dashboard_grants_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_id"],
            ["dashboards.id"],
            name=op.f("fk_dashboard_grants_dashboard_id_dashboards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by"],
            ["users.id"],
            name=op.f("fk_dashboard_grants_granted_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_dashboard_grants_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dashboard_grants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_grants")),
        sa.UniqueConstraint("dashboard_id", "team_id", name="uq_dashboard_grants_team"),
        sa.UniqueConstraint("dashboard_id", "user_id", name="uq_dashboard_grants_user"),
    )
    op.create_index("ix_dashboard_grants_team_id", "dashboard_grants", ["team_id"], unique=False)
    op.create_index("ix_dashboard_grants_user_id", "dashboard_grants", ["user_id"], unique=False)
    op.create_table(
        "dashboard_links",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("dashboard_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_dashboard_links_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_id"],
            ["dashboards.id"],
            name=op.f("fk_dashboard_links_dashboard_id_dashboards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_links_token_hash")),
    )
    op.create_index(
        "ix_dashboard_links_dashboard_id", "dashboard_links", ["dashboard_id"], unique=False
    )
    op.create_table(
        "dashboard_revisions",
        sa.Column("dashboard_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("client_op_id", sa.String(length=64), nullable=True),
        sa.Column("ops", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_dashboard_revisions_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_id"],
            ["dashboards.id"],
            name=op.f("fk_dashboard_revisions_dashboard_id_dashboards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dashboard_id", "version", name=op.f("pk_dashboard_revisions")),
    )
    op.create_index(
        "ix_dashboard_revisions_client_op",
        "dashboard_revisions",
        ["dashboard_id", "actor_id", "client_op_id"],
        unique=False,
    )
    op.create_table(
        "dashboard_visits",
        sa.Column("dashboard_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dashboard_id"],
            ["dashboards.id"],
            name=op.f("fk_dashboard_visits_dashboard_id_dashboards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dashboard_visits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dashboard_id", "user_id", name=op.f("pk_dashboard_visits")),
    )


def downgrade() -> None:
    op.drop_table("dashboard_visits")
    op.drop_index("ix_dashboard_revisions_client_op", table_name="dashboard_revisions")
    op.drop_table("dashboard_revisions")
    op.drop_index("ix_dashboard_links_dashboard_id", table_name="dashboard_links")
    op.drop_table("dashboard_links")
    op.drop_index("ix_dashboard_grants_user_id", table_name="dashboard_grants")
    op.drop_index("ix_dashboard_grants_team_id", table_name="dashboard_grants")
    op.drop_table("dashboard_grants")
    op.drop_index("ix_dashboards_team_id", table_name="dashboards")
    op.drop_index("ix_dashboards_owner_id", table_name="dashboards")
    op.drop_table("dashboards")
