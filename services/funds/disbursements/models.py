"""Disbursements: money leaving a fund, requested by one person and approved by the committee."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Text
from sqlmodel import Field

from services.common.models import Identified, Timestamped, Versioned, choice
from services.funds.db import SCHEMA


class DisbursementStatus(StrEnum):
    requested = "requested"  # waiting for the committee's approvals
    approved = "approved"  # approved, its amount reserved on the fund
    rejected = "rejected"  # turned down by a committee member (any reservation released)
    cancelled = "cancelled"  # withdrawn by its requester or the committee (any reservation released)
    paid = "paid"  # payment posted to the ledger
    reversed = "reversed"  # paid, then its payment undone by an approved reversal


class PayeeKind(StrEnum):
    organisation = "organisation"
    individual = "individual"
    fund = "fund"


class ProjectVerification(StrEnum):
    unverified = "unverified"  # stored as given before the plans service could confirm it (older rows)
    verified = "verified"  # the plans service knew the project when the disbursement was requested


class Disbursement(Identified, Timestamped, Versioned, table=True):
    __tablename__ = "disbursements"
    __table_args__ = (
        Index("ix_disbursements_fund_page_order", "fund_id", "created_at", "id"),
        Index("ix_disbursements_fund_sync_order", "fund_id", "updated_at", "id"),
        CheckConstraint("amount_satang > 0", name="ck_disbursements_amount_positive"),
        CheckConstraint(
            "(payee_kind = 'fund') = (to_fund_id IS NOT NULL)", name="ck_disbursements_fund_payee"
        ),
        {"schema": SCHEMA},
    )

    fund_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.funds.id")
    amount_satang: int = Field(sa_type=BigInteger)
    purpose: str = Field(sa_type=Text)
    payee_kind: PayeeKind = Field(sa_type=choice(PayeeKind, 32))
    payee_name: str = Field(max_length=300)
    payee_national_id_hash: str | None = Field(
        default=None,
        max_length=64,
        index=True,
        description="A private payee's national ID, as its keyed hash",
    )
    payee_national_id_last4: str | None = Field(default=None, max_length=4)
    to_fund_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.funds.id")
    project_id: uuid.UUID | None = None
    project_verification: ProjectVerification | None = Field(
        default=None, sa_type=choice(ProjectVerification)
    )
    status: DisbursementStatus = Field(
        default=DisbursementStatus.requested, sa_type=choice(DisbursementStatus)
    )
    approvals_count: int = 0
    requested_by: str = Field(max_length=64)
    transfer_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.ledger_transfers.id")
    payment_reference: str | None = Field(default=None, max_length=200)
    paid_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    decision_reason: str | None = Field(default=None, sa_type=Text)
