"""the funds whose committee holds a member, found by an index (a member's inbox, their account's changes)

Revision ID: funds_0008
Revises: funds_0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "funds_0008"
down_revision: str | None = "funds_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_funds_committee",
        "funds",
        ["committee"],
        schema="funds",
        postgresql_using="gin",
        postgresql_ops={"committee": "jsonb_path_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_funds_committee", table_name="funds", schema="funds")
