"""A fund's history: who did what, when — settings changes, requests, approvals, decisions, payments.

Append-only. An approval is a history row too: one per committee member per request (a unique index).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow
from services.common.models import choice
from services.funds.db import SCHEMA


class Subject(StrEnum):
    fund = "fund"
    disbursement = "disbursement"
    reversal = "reversal"


class Action(StrEnum):
    opened = "opened"
    updated = "updated"
    requested = "requested"
    approved = "approved"
    reserved = "reserved"
    rejected = "rejected"
    cancelled = "cancelled"
    paid = "paid"
    reversed = "reversed"


@dataclass(frozen=True)
class Step:
    """One step about to be kept: which fund, about what (the fund or one of its requests), who did what."""

    fund_id: uuid.UUID
    subject: Subject
    subject_id: uuid.UUID
    action: Action
    actor: str
    details: dict[str, Any] = field(default_factory=dict)


class HistoryEntry(SQLModel, table=True):
    __tablename__ = "fund_history"
    __table_args__ = (
        Index("ix_fund_history_fund", "fund_id", "id"),
        Index("ix_fund_history_subject", "subject_id", "id"),
        Index(
            "uq_fund_history_one_approval_each",
            "subject_id",
            "actor",
            unique=True,
            postgresql_where=text("action = 'approved'"),
        ),
        {"schema": SCHEMA},
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    fund_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.funds.id")
    subject_type: Subject = Field(sa_type=choice(Subject, 32))
    subject_id: uuid.UUID
    action: Action = Field(sa_type=choice(Action, 32))
    actor: str = Field(max_length=64, description="The user (or client) id; shown only to the area's staff")
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB, nullable=False)
