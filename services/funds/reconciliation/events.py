"""The reconciliation job's event: a fund whose ledger does not add up, with each problem found."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from services.common.events.registry import INLINE, EventData, EventType
from services.funds.ledger.models import AccountPurpose


# no docstring: it would become the published schema's description, which has none
class LedgerProblemData(EventData):
    account: Annotated[AccountPurpose, INLINE] | None
    problem: str
    sequence: int | None
    transfer_id: uuid.UUID | None
    detail: str


class ReconciliationFailedData(EventData):
    """The reconciliation job found a fund whose ledger does not add up: a transfer that does not sum to zero,
    a stored balance or reservation that differs from its entries, or a hash chain that does not verify."""

    fund_id: uuid.UUID
    problems: list[LedgerProblemData]
    checked_at: datetime


RECONCILIATION_FAILED = EventType(
    "fund.reconciliation.failed",
    "fund",
    1,
    ReconciliationFailedData,
    "The reconciliation job found a fund whose ledger does not add up",
    "การกระทบยอดพบว่าบัญชีของกองทุนไม่ถูกต้อง",
)
EVENT_TYPES = (RECONCILIATION_FAILED,)
