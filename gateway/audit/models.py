from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from gateway.auth.models import SCHEMA


class AuditEntry(SQLModel, table=True):
    """One security- or money-relevant action, appended in order and chained: `entry_hash` covers the
    previous entry's hash and this entry's fields, with `actor` and `details` through their digest: each
    detail is hashed on its own, so an erasure can replace a name by its pseudonym and every other field is
    still checked (chain.py)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_area_code_seq", "area_code", "seq"),
        Index("ix_audit_entries_actor_seq", "actor", "seq"),
        {"schema": SCHEMA},
    )

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    id: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    event_id: uuid.UUID | None = Field(default=None, unique=True, description="The event it came from")
    occurred_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False, index=True)
    recorded_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    actor: str | None = Field(default=None, max_length=120)
    action: str = Field(max_length=128, index=True)
    area_code: str = Field(max_length=32)
    source: str = Field(max_length=32)
    subject_type: str = Field(max_length=64)
    subject_id: str = Field(max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    personal_digest: str = Field(
        max_length=64, description="SHA-256 of actor and the details' digests (before gateway_0008: details)"
    )
    field_digests: dict[str, str] | None = Field(
        default=None,
        sa_column=Column(JSONB, nullable=True),
        description="Each detail's SHA-256 as first written (chain.field_digests)",
    )
    erased_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's last entry, kept beside it: deleting the newest entries is detected too."""

    __tablename__ = "audit_head"
    __table_args__ = {"schema": SCHEMA}

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_hash: str = Field(max_length=64)
