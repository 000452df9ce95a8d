from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from services.common.types import RequestBody
from services.funds.fields import Reason
from services.funds.history.schemas import HistoryEntryPublic
from services.funds.reversals.models import ReversalStatus


class ReversalCreate(RequestBody):
    reason: Reason = Field(description="Why the transfer must be undone (public)")


class ReversalPublic(BaseModel):
    id: uuid.UUID
    fund_id: uuid.UUID
    transfer_id: uuid.UUID = Field(description="The transfer to undo, as a whole")
    reason: str
    status: ReversalStatus
    approvals_count: int
    approvals_required: int = Field(description="The fund's current rule")
    requested_by: str | None = Field(description="User id; only for the area's staff")
    reversal_transfer_id: uuid.UUID | None = Field(description="The opposite transfer, once approved")
    decision_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ReversalDetail(ReversalPublic):
    history: list[HistoryEntryPublic]
