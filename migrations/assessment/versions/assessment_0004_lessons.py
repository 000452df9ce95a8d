"""The lessons library: lessons a core team drew, searchable by Thai words (trigram indexes), theme, area and year

Revision ID: assessment_0004
Revises: assessment_0003
Create Date: 2026-12-03 09:27:29.471035
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "assessment_0004"
down_revision: str | None = "assessment_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # the texts' indexes; the plans service's too
    op.create_table(
        "lessons",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("context", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("what_worked", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("what_did_not", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("conditions_for_reuse", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("themes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("project_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("fund_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("outcome_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", name="lessonstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["assessment.teams.id"], name="fk_lessons_team"),
        sa.PrimaryKeyConstraint("id"),
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_lessons_area_code"), "lessons", ["area_code"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_lessons_conditions_for_reuse_trgm",
        "lessons",
        ["conditions_for_reuse"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"conditions_for_reuse": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_lessons_context_trgm",
        "lessons",
        ["context"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"context": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_lessons_page_order", "lessons", ["created_at", "id"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_lessons_sync_order", "lessons", ["updated_at", "id"], unique=False, schema="assessment"
    )
    op.create_index(
        "ix_lessons_themes", "lessons", ["themes"], unique=False, schema="assessment", postgresql_using="gin"
    )
    op.create_index(
        "ix_lessons_title_th_trgm",
        "lessons",
        ["title_th"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"title_th": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_lessons_what_did_not_trgm",
        "lessons",
        ["what_did_not"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"what_did_not": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_lessons_what_worked_trgm",
        "lessons",
        ["what_worked"],
        unique=False,
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"what_worked": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_lessons_what_worked_trgm",
        table_name="lessons",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"what_worked": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_lessons_what_did_not_trgm",
        table_name="lessons",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"what_did_not": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_lessons_title_th_trgm",
        table_name="lessons",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"title_th": "gin_trgm_ops"},
    )
    op.drop_index("ix_lessons_themes", table_name="lessons", schema="assessment", postgresql_using="gin")
    op.drop_index("ix_lessons_sync_order", table_name="lessons", schema="assessment")
    op.drop_index("ix_lessons_page_order", table_name="lessons", schema="assessment")
    op.drop_index(
        "ix_lessons_context_trgm",
        table_name="lessons",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"context": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_lessons_conditions_for_reuse_trgm",
        table_name="lessons",
        schema="assessment",
        postgresql_using="gin",
        postgresql_ops={"conditions_for_reuse": "gin_trgm_ops"},
    )
    op.drop_index(op.f("ix_assessment_lessons_area_code"), table_name="lessons", schema="assessment")
    op.drop_table("lessons", schema="assessment")
