from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field
from sqlmodel import SQLModel

from services.plans.payments.models import PaymentStatus


class PaidDisbursement(SQLModel):
    """What plans reads of a `fund.disbursement.paid` / `.reversed` event's payload."""

    id: uuid.UUID
    project_id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int
    purpose: str
    payee_name: str
    paid_at: datetime | None
    version: int


class PaymentPublic(SQLModel):
    disbursement_id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int
    purpose: str
    payee_name: str = Field(description='"individual" for a private person')
    status: PaymentStatus
    paid_at: datetime | None


class ProjectPayments(SQLModel):
    """What the funds paid for a project (from the funds service's events)."""

    project_id: uuid.UUID
    paid_satang: int = Field(description="Σ amount of the payments still standing (reversed ones excluded)")
    items: list[PaymentPublic]
