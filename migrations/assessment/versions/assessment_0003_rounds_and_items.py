"""Assessment rounds (a framework version scored in areas by a team and by the communities) and their items

Revision ID: assessment_0003
Revises: assessment_0002
Create Date: 2026-12-03 08:39:35.025623
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "assessment_0003"
down_revision: str | None = "assessment_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column(
            "scored_level",
            sa.Enum("tambon", "province", name="scoredlevel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("areas", sa.ARRAY(sa.String(length=12)), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "open", "closed", "published", name="roundstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["framework_id"], ["assessment.frameworks.id"], name="fk_rounds_framework"),
        sa.ForeignKeyConstraint(["team_id"], ["assessment.teams.id"], name="fk_rounds_team"),
        sa.PrimaryKeyConstraint("id"),
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_rounds_area_code"), "rounds", ["area_code"], unique=False, schema="assessment"
    )
    op.create_index(
        op.f("ix_assessment_rounds_framework_id"),
        "rounds",
        ["framework_id"],
        unique=False,
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_rounds_team_id"), "rounds", ["team_id"], unique=False, schema="assessment"
    )
    op.create_index("ix_rounds_page_order", "rounds", ["created_at", "id"], unique=False, schema="assessment")
    op.create_index("ix_rounds_sync_order", "rounds", ["updated_at", "id"], unique=False, schema="assessment")
    op.create_table(
        "round_items",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("self_level", sa.Integer(), nullable=True),
        sa.Column("self_comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("self_evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("self_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("team_level", sa.Integer(), nullable=True),
        sa.Column("team_comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("team_evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("team_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("dialogue_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "submitted", "reviewed", "published", name="itemstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["assessment.rounds.id"], name="fk_round_items_round"),
        sa.PrimaryKeyConstraint("round_id", "area_code", "criterion"),
        schema="assessment",
    )
    op.create_index(
        "ix_round_items_round_criterion",
        "round_items",
        ["round_id", "criterion"],
        unique=False,
        schema="assessment",
    )


def downgrade() -> None:
    op.drop_index("ix_round_items_round_criterion", table_name="round_items", schema="assessment")
    op.drop_table("round_items", schema="assessment")
    op.drop_index("ix_rounds_sync_order", table_name="rounds", schema="assessment")
    op.drop_index("ix_rounds_page_order", table_name="rounds", schema="assessment")
    op.drop_index(op.f("ix_assessment_rounds_team_id"), table_name="rounds", schema="assessment")
    op.drop_index(op.f("ix_assessment_rounds_framework_id"), table_name="rounds", schema="assessment")
    op.drop_index(op.f("ix_assessment_rounds_area_code"), table_name="rounds", schema="assessment")
    op.drop_table("rounds", schema="assessment")
