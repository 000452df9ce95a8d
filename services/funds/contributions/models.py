"""Contributions: money coming into a fund from the organisations and partners that pool it."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index
from sqlmodel import Field

from services.common.models import Identified, Timestamped, choice
from services.funds.db import SCHEMA


class SourceKind(StrEnum):
    savings_group = "savings_group"  # กลุ่มออมทรัพย์
    welfare_fund = "welfare_fund"  # กองทุนสวัสดิการชุมชน
    codi_grant = "codi_grant"  # งบ พอช.
    partner = "partner"  # ภาคี: agencies, academia, private sector, civil society (joint budget)
    local_government = "local_government"  # อปท. / อบจ. (joint budget)
    individual = "individual"
    other = "other"


# partner and agency budgets are the joint budget (งบร่วม) of the integrated province
JOINT_BUDGET_SOURCES = frozenset({SourceKind.partner, SourceKind.local_government})


class Contribution(Identified, Timestamped, table=True):
    """Immutable once posted: a mistake is corrected by reversing its transfer."""

    __tablename__ = "contributions"
    __table_args__ = (
        Index("ix_contributions_fund_page_order", "fund_id", "created_at", "id"),
        CheckConstraint("amount_satang > 0", name="ck_contributions_amount_positive"),
        {"schema": SCHEMA},
    )

    fund_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.funds.id")
    # written before its transfer, which the ledger writes with its entries: the key is checked at commit
    transfer_id: uuid.UUID = Field(
        sa_column_args=[ForeignKey(f"{SCHEMA}.ledger_transfers.id", deferrable=True, initially="DEFERRED")],
        nullable=False,
    )
    amount_satang: int = Field(sa_type=BigInteger)
    source_kind: SourceKind = Field(sa_type=choice(SourceKind, 32))
    source_name: str | None = Field(default=None, max_length=300)
    is_joint_budget: bool = False
    received_on: date = Field(sa_type=Date)
    reference: str | None = Field(default=None, max_length=200)
    recorded_by: str = Field(max_length=64)
