"""a private payee's national ID, as its keyed hash and last four digits

Revision ID: funds_0007
Revises: funds_0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "funds_0007"
down_revision: str | None = "funds_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "disbursements",
        sa.Column("payee_national_id_hash", sa.String(length=64), nullable=True),
        schema="funds",
    )
    op.add_column(
        "disbursements",
        sa.Column("payee_national_id_last4", sa.String(length=4), nullable=True),
        schema="funds",
    )
    op.create_index(
        op.f("ix_funds_disbursements_payee_national_id_hash"),
        "disbursements",
        ["payee_national_id_hash"],
        schema="funds",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_funds_disbursements_payee_national_id_hash"), table_name="disbursements", schema="funds"
    )
    op.drop_column("disbursements", "payee_national_id_last4", schema="funds")
    op.drop_column("disbursements", "payee_national_id_hash", schema="funds")
