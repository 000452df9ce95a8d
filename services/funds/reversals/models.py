"""Reversals: the only way to correct the ledger — a whole transfer undone by a new, opposite transfer,
requested by the area's staff and approved by the committee like a disbursement."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Index, Text, text
from sqlmodel import Field

from services.common.models import Identified, Timestamped, Versioned, choice
from services.funds.db import SCHEMA


class ReversalStatus(StrEnum):
    requested = "requested"  # waiting for the committee's approvals
    approved = "approved"  # approved, and the opposite transfer posted
    rejected = "rejected"
    cancelled = "cancelled"


class Reversal(Identified, Timestamped, Versioned, table=True):
    __tablename__ = "reversals"
    __table_args__ = (
        Index("ix_reversals_fund_page_order", "fund_id", "created_at", "id"),
        Index("ix_reversals_fund_sync_order", "fund_id", "updated_at", "id"),
        # one open (or done) reversal per transfer; a rejected or cancelled one may be asked for again
        Index(
            "uq_reversals_one_open_per_transfer",
            "transfer_id",
            unique=True,
            postgresql_where=text("status IN ('requested', 'approved')"),
        ),
        {"schema": SCHEMA},
    )

    fund_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.funds.id")
    transfer_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.ledger_transfers.id")
    reason: str = Field(sa_type=Text)
    status: ReversalStatus = Field(default=ReversalStatus.requested, sa_type=choice(ReversalStatus))
    approvals_count: int = 0
    requested_by: str = Field(max_length=64)
    reversal_transfer_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.ledger_transfers.id")
    decision_reason: str | None = Field(default=None, sa_type=Text)
