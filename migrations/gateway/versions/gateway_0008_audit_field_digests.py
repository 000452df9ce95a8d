"""an audit entry's details hashed key by key, so an erasure can replace a name and the rest is still checked

Revision ID: gateway_0008
Revises: gateway_0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "gateway_0008"
down_revision: str | None = "gateway_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "audit_entries",
        sa.Column("field_digests", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="gateway",
    )


def downgrade() -> None:
    op.drop_column("audit_entries", "field_digests", schema="gateway")
