"""Outcomes (harvested, substantiated, published) and policy recommendations (dated steps to their end)

Revision ID: assessment_0005
Revises: assessment_0004
Create Date: 2026-12-03 09:48:07.989990
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "assessment_0005"
down_revision: str | None = "assessment_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "recommendations",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column(
            "target_level",
            sa.Enum("tambon", "province", "national", name="targetlevel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("target_agency", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("outcome_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("lesson_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "submitted",
                "accepted",
                "implemented",
                "rejected",
                name="recommendationstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("history", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_recommendations_area_code"),
        "recommendations",
        ["area_code"],
        unique=False,
        schema="assessment",
    )
    op.create_index(
        "ix_recommendations_page_order",
        "recommendations",
        ["created_at", "id"],
        unique=False,
        schema="assessment",
    )
    op.create_index(
        "ix_recommendations_sync_order",
        "recommendations",
        ["updated_at", "id"],
        unique=False,
        schema="assessment",
    )
    op.create_table(
        "outcomes",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column(
            "actor_kind",
            sa.Enum(
                "organisation",
                "agency",
                "local_government",
                "community",
                name="actorkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("intended", sa.Boolean(), nullable=False),
        sa.Column("positive", sa.Boolean(), nullable=False),
        sa.Column("significance", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("contribution", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("change_agent", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("lesson_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "substantiated", "published", name="outcomestatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("substantiator", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column(
            "verdict",
            sa.Enum("agrees", "partly", "disagrees", name="verdict", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("verdict_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("substantiated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["assessment.teams.id"], name="fk_outcomes_team"),
        sa.PrimaryKeyConstraint("id"),
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_outcomes_area_code"), "outcomes", ["area_code"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_outcomes_description_trgm",
        "outcomes",
        ["description"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"description": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_outcomes_page_order", "outcomes", ["created_at", "id"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_outcomes_sync_order", "outcomes", ["updated_at", "id"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_outcomes_title_th_trgm",
        "outcomes",
        ["title_th"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"title_th": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_outcomes_title_th_trgm",
        table_name="outcomes",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"title_th": "gin_trgm_ops"},
    )
    op.drop_index("ix_outcomes_sync_order", table_name="outcomes", schema="assessment")
    op.drop_index("ix_outcomes_page_order", table_name="outcomes", schema="assessment")
    op.drop_index(
        "ix_outcomes_description_trgm",
        table_name="outcomes",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"description": "gin_trgm_ops"},
    )
    op.drop_index(op.f("ix_assessment_outcomes_area_code"), table_name="outcomes", schema="assessment")
    op.drop_table("outcomes", schema="assessment")
    op.drop_index("ix_recommendations_sync_order", table_name="recommendations", schema="assessment")
    op.drop_index("ix_recommendations_page_order", table_name="recommendations", schema="assessment")
    op.drop_index(
        op.f("ix_assessment_recommendations_area_code"), table_name="recommendations", schema="assessment"
    )
    op.drop_table("recommendations", schema="assessment")
