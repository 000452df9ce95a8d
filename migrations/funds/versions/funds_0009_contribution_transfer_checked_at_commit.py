"""a contribution's transfer is checked at commit: the ledger writes the transfer with its entries, once the
accounts are locked, and the contribution row that names it is written before that lock

Revision ID: funds_0009
Revises: funds_0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "funds_0009"
down_revision: str | None = "funds_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE funds.contributions ALTER CONSTRAINT contributions_transfer_id_fkey"
        " DEFERRABLE INITIALLY DEFERRED"
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE funds.contributions ALTER CONSTRAINT contributions_transfer_id_fkey NOT DEFERRABLE"
    )
