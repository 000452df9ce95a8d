"""Round reports: an XLSX of a round's results built by the worker, its progress and its file

Revision ID: assessment_0006
Revises: assessment_0005
Create Date: 2026-12-03 10:17:42.110656
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "assessment_0006"
down_revision: str | None = "assessment_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round_reports",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued", "running", "completed", "failed", name="reportstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("steps_total", sa.Integer(), nullable=False),
        sa.Column("steps_done", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["assessment.rounds.id"], name="fk_round_reports_round"),
        sa.PrimaryKeyConstraint("id"),
        schema="assessment",
    )
    op.create_index(
        op.f("ix_assessment_round_reports_round_id"),
        "round_reports",
        ["round_id"],
        unique=False,
        schema="assessment",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_assessment_round_reports_round_id"), table_name="round_reports", schema="assessment"
    )
    op.drop_table("round_reports", schema="assessment")
