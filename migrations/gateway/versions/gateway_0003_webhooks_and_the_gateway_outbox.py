"""webhooks and the gateway outbox

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-11-26 09:30:24.726521
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from services.common.migrations import create_outbox_tables, drop_outbox_tables

revision: str = "gateway_0003"
down_revision: str | None = "gateway_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("aggregate_type", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("aggregate_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_event_log_aggregate",
        "event_log",
        ["aggregate_type", "aggregate_id", "sequence"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_event_log_occurred_at", "event_log", ["occurred_at"], unique=False, schema="gateway"
    )
    create_outbox_tables("gateway")
    op.create_table(
        "webhook_endpoints",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("event_types", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("secret_sealed", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("previous_secret_sealed", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        schema="gateway",
    )
    op.create_index(
        op.f("ix_gateway_webhook_endpoints_owner"),
        "webhook_endpoints",
        ["owner"],
        unique=False,
        schema="gateway",
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("aggregate_key", sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_latency_ms", sa.Integer(), nullable=True),
        sa.Column("last_response_body", sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["endpoint_id"], ["gateway.webhook_endpoints.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["gateway.event_log.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("position"),
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_webhook_deliveries_created_at",
        "webhook_deliveries",
        ["created_at"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_webhook_deliveries_due",
        "webhook_deliveries",
        ["next_attempt_at", "position"],
        unique=False,
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        op.f("ix_gateway_webhook_deliveries_event_id"),
        "webhook_deliveries",
        ["event_id"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_webhook_deliveries_log",
        "webhook_deliveries",
        ["endpoint_id", "created_at", "id"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        "ix_gateway_webhook_deliveries_order",
        "webhook_deliveries",
        ["endpoint_id", "aggregate_key", "sequence", "position"],
        unique=False,
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "uq_gateway_webhook_deliveries_live",
        "webhook_deliveries",
        ["endpoint_id", "event_id"],
        unique=True,
        schema="gateway",
        postgresql_where=sa.text("origin = 'live'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_gateway_webhook_deliveries_live",
        table_name="webhook_deliveries",
        schema="gateway",
        postgresql_where=sa.text("origin = 'live'"),
    )
    op.drop_index(
        "ix_gateway_webhook_deliveries_order",
        table_name="webhook_deliveries",
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_index("ix_gateway_webhook_deliveries_log", table_name="webhook_deliveries", schema="gateway")
    op.drop_index(
        op.f("ix_gateway_webhook_deliveries_event_id"), table_name="webhook_deliveries", schema="gateway"
    )
    op.drop_index(
        "ix_gateway_webhook_deliveries_due",
        table_name="webhook_deliveries",
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_index(
        "ix_gateway_webhook_deliveries_created_at", table_name="webhook_deliveries", schema="gateway"
    )
    op.drop_table("webhook_deliveries", schema="gateway")
    op.drop_index(
        op.f("ix_gateway_webhook_endpoints_owner"), table_name="webhook_endpoints", schema="gateway"
    )
    op.drop_table("webhook_endpoints", schema="gateway")
    drop_outbox_tables("gateway")
    op.drop_index("ix_gateway_event_log_occurred_at", table_name="event_log", schema="gateway")
    op.drop_index("ix_gateway_event_log_aggregate", table_name="event_log", schema="gateway")
    op.drop_table("event_log", schema="gateway")
