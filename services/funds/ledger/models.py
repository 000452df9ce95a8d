"""The double-entry ledger: accounts with their balance stored beside them, transfers that sum to zero,
and entries that are never changed (the database refuses UPDATE and DELETE; corrections are reversals).

Every fund owns three accounts: `holdings` (the money it holds; never below what is reserved),
`contributions` (where contributions come from: its balance is minus the total received) and `payouts`
(where payments to organisations and people go). Money moving between funds goes holdings → holdings.
Each account's entries form a hash chain (see chain.py); a fund's public ledger is its holdings chain.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Table, Text
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow
from services.common.models import choice
from services.funds.db import SCHEMA

GENESIS_HASH = "0" * 64


class AccountPurpose(StrEnum):
    holdings = "holdings"
    contributions = "contributions"
    payouts = "payouts"


class TransferKind(StrEnum):
    contribution = "contribution"
    disbursement = "disbursement"
    fund_transfer = "fund_transfer"
    reversal = "reversal"


class Account(SQLModel, table=True):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        Index("uq_ledger_accounts_owner_purpose", "owner_id", "purpose", unique=True),
        CheckConstraint("reserved_satang >= 0", name="ck_ledger_accounts_reserved_not_negative"),
        # no overdraft (balance ≥ reserved unless allow_negative): a row trigger, not a CHECK (funds_0004)
        {"schema": SCHEMA},
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(description="The fund (or, later, other book) the account belongs to")
    purpose: AccountPurpose = Field(sa_type=choice(AccountPurpose, 32))
    allow_negative: bool = Field(default=False)
    balance_satang: int = Field(default=0, sa_type=BigInteger)
    reserved_satang: int = Field(default=0, sa_type=BigInteger)
    entry_count: int = Field(
        default=0, sa_type=BigInteger, description="Sequence of the account's last entry"
    )
    head_hash: str = Field(default=GENESIS_HASH, max_length=64, description="Hash of the last entry")
    revision: int = Field(
        default=0, sa_type=BigInteger, description="Bumped by every change of balance or reserve"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class Transfer(SQLModel, table=True):
    __tablename__ = "ledger_transfers"
    __table_args__ = (
        Index("uq_ledger_transfers_reverses", "reverses_transfer_id", unique=True),
        CheckConstraint("amount_satang > 0", name="ck_ledger_transfers_amount_positive"),
        {"schema": SCHEMA},
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: TransferKind = Field(sa_type=choice(TransferKind, 32))
    amount_satang: int = Field(sa_type=BigInteger, description="The sum of the transfer's credits")
    memo: str | None = Field(
        default=None, sa_type=Text, description="Public description (a purpose, a reason)"
    )
    request_type: str | None = Field(default=None, max_length=32, description="What asked for it")
    request_id: uuid.UUID | None = Field(default=None)
    reverses_transfer_id: uuid.UUID | None = Field(default=None, foreign_key=f"{SCHEMA}.ledger_transfers.id")
    posted_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class Entry(SQLModel, table=True):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_transfer", "transfer_id"),
        CheckConstraint("amount_satang <> 0", name="ck_ledger_entries_amount_not_zero"),
        CheckConstraint(
            "balance_after_satang = balance_before_satang + amount_satang",
            name="ck_ledger_entries_arithmetic",
        ),
        {"schema": SCHEMA},
    )

    account_id: uuid.UUID = Field(primary_key=True, foreign_key=f"{SCHEMA}.ledger_accounts.id")
    sequence: int = Field(primary_key=True, sa_type=BigInteger)
    transfer_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.ledger_transfers.id")
    amount_satang: int = Field(sa_type=BigInteger, description="Signed: + money in, − money out")
    balance_before_satang: int = Field(sa_type=BigInteger)
    balance_after_satang: int = Field(sa_type=BigInteger)
    counterparty_kind: str | None = Field(default=None, max_length=32)
    counterparty_name: str | None = Field(
        default=None, max_length=300, description="Never a private person's"
    )
    posted_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


ACCOUNTS: Table = Account.__table__  # type: ignore[attr-defined]
TRANSFERS: Table = Transfer.__table__  # type: ignore[attr-defined]
ENTRIES: Table = Entry.__table__  # type: ignore[attr-defined]
