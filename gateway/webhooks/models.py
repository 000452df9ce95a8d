"""Webhook subscriptions, the messages owed to them, and the gateway's event log (the replay source).

A *message* (`webhook_deliveries` row) is one event owed to one endpoint. Its id is not the `webhook-id`:
the `webhook-id` is the event's id, the same on every attempt, redelivery and replay, so receivers can
de-duplicate. A message is `pending` until an attempt succeeds (`succeeded`) or every attempt of the retry
schedule failed (`failed`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Identity, Index, LargeBinary, Table, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, Versioned

SCHEMA = "gateway"


class DisabledReason(StrEnum):
    manual = "manual"  # the owner switched it off
    gone = "gone"  # the receiver answered 410 Gone
    failing = "failing"  # no success for webhook_disable_after_failing_seconds


class MessageStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class MessageOrigin(StrEnum):
    live = "live"  # fanned out from the event stream
    redelivery = "redelivery"  # POST …/deliveries/{id}/redeliver
    replay = "replay"  # POST …/replay


class WebhookEndpoint(Identified, Timestamped, Versioned, table=True):
    """A receiver URL subscribed to event types by its owner (a user or a partner client)."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = {"schema": SCHEMA}

    owner_kind: str = Field(max_length=16, description="user | client")
    owner: str = Field(max_length=64, index=True, description="the user's id, or the client's client_id")
    area_code: str = Field(
        max_length=32, description="the owner's area its own endpoint events are filed under"
    )
    url: str = Field(max_length=2048)
    description: str = Field(default="", max_length=500)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    disabled: bool = False
    disabled_reason: str | None = Field(default=None, max_length=16)
    disabled_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    failing_since: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # signing secrets, encrypted with a key derived from KHABUAN_SECRET_KEY (gateway/webhooks/secrets.py)
    secret_sealed: str = Field(max_length=255)
    previous_secret_sealed: str | None = Field(default=None, max_length=255)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class LoggedEvent(SQLModel, table=True):
    """Every event the gateway has seen, kept `webhook_history_retention_seconds` (90 days) for replay.

    `body` holds the exact bytes sent to receivers, so retries and replays sign and send the same body.
    """

    __tablename__ = "event_log"
    __table_args__ = (
        Index("ix_gateway_event_log_occurred_at", "occurred_at"),
        Index("ix_gateway_event_log_aggregate", "aggregate_type", "aggregate_id", "sequence"),
        {"schema": SCHEMA},
    )

    id: uuid.UUID = Field(primary_key=True)
    type: str = Field(max_length=128)
    occurred_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    source: str = Field(max_length=64)
    aggregate_type: str = Field(max_length=64)
    aggregate_id: str = Field(max_length=64)
    sequence: int
    area_code: str = Field(max_length=32)
    schema_version: int
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    received_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class WebhookMessage(Identified, Timestamped, table=True):
    """One event owed to one endpoint, with the outcome of its last attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # fan-out is idempotent: a re-read stream entry cannot owe an endpoint the same event twice
        Index(
            "uq_gateway_webhook_deliveries_live",
            "endpoint_id",
            "event_id",
            unique=True,
            postgresql_where=text("origin = 'live'"),
        ),
        # the dispatcher's scan, in its order: walked until enough are claimable, never sorted whole
        Index(
            "ix_gateway_webhook_deliveries_due",
            "next_attempt_at",
            "position",
            postgresql_where=text("status = 'pending'"),
        ),
        # per-aggregate order: is an earlier message of this aggregate still pending for this endpoint?
        Index(
            "ix_gateway_webhook_deliveries_order",
            "endpoint_id",
            "aggregate_key",
            "sequence",
            "position",
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_gateway_webhook_deliveries_log", "endpoint_id", "created_at", "id"),
        Index("ix_gateway_webhook_deliveries_created_at", "created_at"),
        {"schema": SCHEMA},
    )

    position: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False), nullable=False, unique=True)
    )
    endpoint_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey(f"{SCHEMA}.webhook_endpoints.id", ondelete="CASCADE"), nullable=False)
    )
    event_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey(f"{SCHEMA}.event_log.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    event_type: str = Field(max_length=128)
    aggregate_key: str = Field(max_length=130, description="aggregate_type:aggregate_id")
    sequence: int
    origin: str = Field(max_length=16)
    status: str = Field(default=MessageStatus.pending, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    leased_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_attempt_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_status_code: int | None = None
    last_latency_ms: int | None = None
    last_response_body: str | None = Field(default=None, max_length=1024)
    last_error: str | None = Field(default=None, max_length=500)


def aggregate_key(aggregate_type: str, aggregate_id: str) -> str:
    return f"{aggregate_type}:{aggregate_id}"


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table (for bulk statements)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table
