"""Committee members' accounts as the gateway's events last told them (a deactivated member stops counting)

Revision ID: funds_0006
Revises: funds_0005
Create Date: 2026-12-03 16:04:04.186656
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "funds_0006"
down_revision: str | None = "funds_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_accounts",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
        schema="funds",
    )


def downgrade() -> None:
    op.drop_table("member_accounts", schema="funds")
