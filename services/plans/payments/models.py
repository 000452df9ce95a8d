from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Index
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.plans.db import SCHEMA


class PaymentStatus(StrEnum):
    paid = "paid"
    reversed = "reversed"  # the payment was undone by an approved reversal


class ProjectPayment(SQLModel, table=True):
    """A disbursement the funds service paid for a project, as its events told us (never read from its
    tables): kept at the newest version of the disbursement seen, so replays and reordering change nothing."""

    __tablename__ = "project_payments"
    __table_args__ = (Index("ix_project_payments_project", "project_id", "paid_at"), {"schema": SCHEMA})

    disbursement_id: uuid.UUID = Field(primary_key=True)
    project_id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int = Field(sa_type=BigInteger)
    purpose: str = Field(max_length=2_000)
    payee_name: str = Field(max_length=300)
    status: PaymentStatus = Field(sa_type=choice(PaymentStatus))
    paid_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    disbursement_version: int
    updated_at: datetime = Field(sa_type=DateTime(timezone=True))
