"""accounts managed: versions, one-time codes, grants index, login failures

Revision ID: gateway_0004
Revises: gateway_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "gateway_0004"
down_revision: str | None = "gateway_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        schema="gateway",
    )
    op.add_column(
        "users", sa.Column("version", sa.Integer(), nullable=False, server_default="1"), schema="gateway"
    )
    op.add_column(
        "users",
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        schema="gateway",
    )
    op.add_column(
        "users", sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True), schema="gateway"
    )
    op.add_column(
        "users", sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True), schema="gateway"
    )
    op.alter_column(
        "users", "password_hash", existing_type=sa.VARCHAR(length=255), nullable=True, schema="gateway"
    )
    op.create_index(
        "ix_users_grants",
        "users",
        ["grants"],
        unique=False,
        schema="gateway",
        postgresql_using="gin",
        postgresql_ops={"grants": "jsonb_path_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_users_grants",
        table_name="users",
        schema="gateway",
        postgresql_using="gin",
        postgresql_ops={"grants": "jsonb_path_ops"},
    )
    op.alter_column(
        "users", "password_hash", existing_type=sa.VARCHAR(length=255), nullable=False, schema="gateway"
    )
    op.drop_column("users", "password_changed_at", schema="gateway")
    op.drop_column("users", "code_expires_at", schema="gateway")
    op.drop_column("users", "code_hash", schema="gateway")
    op.drop_column("users", "version", schema="gateway")
    op.drop_table("login_failures", schema="gateway")
