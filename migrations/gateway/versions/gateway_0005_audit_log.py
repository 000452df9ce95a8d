"""audit log and the events' actor

Revision ID: gateway_0005
Revises: gateway_0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from services.common.migrations import add_outbox_actor, drop_outbox_actor
from sqlalchemy.dialects import postgresql

revision: str = "gateway_0005"
down_revision: str | None = "gateway_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("personal_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entry_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
        sa.UniqueConstraint("id"),
        schema="gateway",
    )
    op.create_index(
        "ix_audit_entries_actor_seq", "audit_entries", ["actor", "seq"], unique=False, schema="gateway"
    )
    op.create_index(
        "ix_audit_entries_area_code_seq",
        "audit_entries",
        ["area_code", "seq"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        op.f("ix_gateway_audit_entries_action"), "audit_entries", ["action"], unique=False, schema="gateway"
    )
    op.create_index(
        op.f("ix_gateway_audit_entries_occurred_at"),
        "audit_entries",
        ["occurred_at"],
        unique=False,
        schema="gateway",
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema="gateway",
    )
    add_outbox_actor("gateway")


def downgrade() -> None:
    drop_outbox_actor("gateway")
    op.drop_table("audit_head", schema="gateway")
    op.drop_index(op.f("ix_gateway_audit_entries_occurred_at"), table_name="audit_entries", schema="gateway")
    op.drop_index(op.f("ix_gateway_audit_entries_action"), table_name="audit_entries", schema="gateway")
    op.drop_index("ix_audit_entries_area_code_seq", table_name="audit_entries", schema="gateway")
    op.drop_index("ix_audit_entries_actor_seq", table_name="audit_entries", schema="gateway")
    op.drop_table("audit_entries", schema="gateway")
