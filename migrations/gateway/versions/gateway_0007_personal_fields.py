"""an account's national ID (as its keyed hash and last four digits) and birth date

Revision ID: gateway_0007
Revises: gateway_0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0007"
down_revision: str | None = "gateway_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("national_id_hash", sa.String(length=64), nullable=True), schema="gateway"
    )
    op.add_column(
        "users", sa.Column("national_id_last4", sa.String(length=4), nullable=True), schema="gateway"
    )
    op.add_column("users", sa.Column("birth_date", sa.Date(), nullable=True), schema="gateway")
    op.create_index(
        op.f("ix_gateway_users_national_id_hash"), "users", ["national_id_hash"], schema="gateway"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_gateway_users_national_id_hash"), table_name="users", schema="gateway")
    for column in ("birth_date", "national_id_last4", "national_id_hash"):
        op.drop_column("users", column, schema="gateway")
