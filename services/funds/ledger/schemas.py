from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.funds.ledger.models import AccountPurpose, TransferKind

HASH_RULE = (
    "SHA-256 (lowercase hex) of the UTF-8 text `prev_hash|account_id|sequence|transfer_id|amount_satang|"
    "balance_before_satang|balance_after_satang|posted_at|description`, where posted_at is written in UTC "
    "with microseconds (`2026-11-26T06:30:00.000000+00:00`) and description is the SHA-256 hex of "
    "`h(kind)|h(memo)|h(reverses_transfer_id)|h(counterparty_kind)|h(counterparty_name)`, "
    "h being SHA-256 hex of each field's text, a null as empty text, and a person's name as empty text "
    "(the ledger never stores "
    'it; it is shown as "individual"). Anyone can recompute every hash from this page alone; '
    "`…/ledger/verify` does it on the server."
)


class LedgerEntryPublic(BaseModel):
    """One line of a fund's public ledger: an entry on its holdings, hash-chained to the previous one."""

    account_id: uuid.UUID = Field(description="The fund's holdings account, whose chain this entry continues")
    sequence: int = Field(description="1, 2, 3 … in the fund's ledger, without gaps")
    transfer_id: uuid.UUID
    kind: TransferKind
    direction: Literal["in", "out"]
    amount_satang: int = Field(description="Signed: + into the fund, − out of it")
    balance_before_satang: int
    balance_after_satang: int
    counterparty_kind: str | None = Field(
        description="savings_group, partner, organisation, fund, individual …"
    )
    counterparty_name: str | None = Field(
        description='Organisations and funds by name; a person is "individual"'
    )
    memo: str | None = Field(description="The purpose of a disbursement, the reason of a reversal")
    reverses_transfer_id: uuid.UUID | None
    reversed_by_transfer_id: uuid.UUID | None
    posted_at: datetime
    prev_hash: str = Field(description="Hash of the previous entry (64 zeros for the first)")
    hash: str = Field(description=HASH_RULE)


class BrokenLinkPublic(BaseModel):
    account: AccountPurpose | None = Field(description="Which of the fund's accounts (null: a transfer)")
    problem: str = Field(
        description="hash_mismatch, broken_link, sequence_gap, balance_discontinuity, "
        "arithmetic, head_mismatch, stored_balance_mismatch or unbalanced_transfer"
    )
    sequence: int | None
    transfer_id: uuid.UUID | None
    detail: str


class LedgerVerification(BaseModel):
    fund_id: uuid.UUID
    verified: bool = Field(
        description="Every chain recomputes, every balance matches, every transfer sums to 0"
    )
    entries_checked: int = Field(
        description="Entries recomputed on all the fund's accounts: its holdings (the public ledger) and the "
        "accounts on the other side of its transfers, so about twice the public ledger's length"
    )
    head_hash: str = Field(description="Hash of the last entry of the fund's ledger")
    first_broken_link: BrokenLinkPublic | None
    problems: list[BrokenLinkPublic]
    checked_at: datetime
