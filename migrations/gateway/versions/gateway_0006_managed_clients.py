"""partner clients managed

Revision ID: gateway_0006
Revises: gateway_0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "gateway_0006"
down_revision: str | None = "gateway_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "clients", sa.Column("version", sa.Integer(), nullable=False, server_default="1"), schema="gateway"
    )
    op.add_column(
        "clients",
        sa.Column("previous_secret_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        schema="gateway",
    )
    op.add_column(
        "clients",
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        schema="gateway",
    )
    op.add_column(
        "clients", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True), schema="gateway"
    )
    op.add_column(
        "clients",
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        schema="gateway",
    )


def downgrade() -> None:
    op.drop_column("clients", "created_by", schema="gateway")
    op.drop_column("clients", "last_used_at", schema="gateway")
    op.drop_column("clients", "previous_secret_expires_at", schema="gateway")
    op.drop_column("clients", "previous_secret_hash", schema="gateway")
    op.drop_column("clients", "version", schema="gateway")
