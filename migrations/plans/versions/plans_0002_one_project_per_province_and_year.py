"""one province, one project: projects, unique per province and fiscal year, and their weighted activities

Revision ID: plans_0002
Revises: plans_0001
Create Date: 2026-12-02 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "plans_0002"
down_revision: str | None = "plans_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("weighted_progress", sa.Integer(), nullable=False),
        sa.Column("weight_total", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight_total >= 0 AND weighted_progress >= 0", name="ck_projects_progress"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("province_code", "fiscal_year", name="uq_projects_province_year"),
        schema="plans",
    )
    op.create_index(
        op.f("ix_plans_projects_province_code"), "projects", ["province_code"], unique=False, schema="plans"
    )
    op.create_index("ix_projects_page_order", "projects", ["created_at", "id"], unique=False, schema="plans")
    op.create_index("ix_projects_sync_order", "projects", ["updated_at", "id"], unique=False, schema="plans")
    op.create_table(
        "activities",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("title_th", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("issue", sa.String(length=32), nullable=False),
        sa.Column("responsible_partner", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("budget_satang", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.CheckConstraint("weight BETWEEN 1 AND 100", name="ck_activities_weight"),
        sa.CheckConstraint("progress_percent BETWEEN 0 AND 100", name="ck_activities_progress"),
        sa.CheckConstraint("budget_satang >= 0", name="ck_activities_budget"),
        sa.ForeignKeyConstraint(["project_id"], ["plans.projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema="plans",
    )
    op.create_index(
        op.f("ix_plans_activities_project_id"), "activities", ["project_id"], unique=False, schema="plans"
    )
    op.create_index(
        op.f("ix_plans_activities_area_code"), "activities", ["area_code"], unique=False, schema="plans"
    )
    op.create_index(
        "ix_activities_page_order", "activities", ["created_at", "id"], unique=False, schema="plans"
    )
    op.create_index(
        "ix_activities_sync_order", "activities", ["updated_at", "id"], unique=False, schema="plans"
    )


def downgrade() -> None:
    op.drop_index("ix_activities_sync_order", table_name="activities", schema="plans")
    op.drop_index("ix_activities_page_order", table_name="activities", schema="plans")
    op.drop_index(op.f("ix_plans_activities_area_code"), table_name="activities", schema="plans")
    op.drop_index(op.f("ix_plans_activities_project_id"), table_name="activities", schema="plans")
    op.drop_table("activities", schema="plans")
    op.drop_index("ix_projects_sync_order", table_name="projects", schema="plans")
    op.drop_index("ix_projects_page_order", table_name="projects", schema="plans")
    op.drop_index(op.f("ix_plans_projects_province_code"), table_name="projects", schema="plans")
    op.drop_table("projects", schema="plans")
