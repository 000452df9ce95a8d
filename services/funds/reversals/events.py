"""A reversal request's events, one per step of its life (requested → approved, or stopped); the posting
itself is the ledger's `fund.transfer.reversed`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from services.common.events.registry import INLINE, EventData, EventType
from services.funds.reversals.models import ReversalStatus


class ReversalData(EventData):
    """A reversal request's public state after the change (who asked is not in it)."""

    id: uuid.UUID
    fund_id: uuid.UUID
    transfer_id: uuid.UUID
    reason: str
    status: Annotated[ReversalStatus, INLINE]
    approvals_count: int
    approvals_required: int
    reversal_transfer_id: uuid.UUID | None
    decision_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


def _step(verb: str, summary: str, summary_th: str) -> EventType:
    return EventType(f"fund.reversal.{verb}", "fund", 1, ReversalData, summary, summary_th)


REVERSAL_REQUESTED = _step("requested", "A transfer's reversal was requested", "มีคำขอกลับรายการโอน")
REVERSAL_APPROVAL_ADDED = _step(
    "approval_added",
    "A committee member approved a reversal (one per approval; `approved` follows the last one needed)",
    "กรรมการอนุมัติคำขอกลับรายการ (หนึ่งครั้งต่อการอนุมัติ)",
)
REVERSAL_APPROVED = _step(
    "approved",
    "A reversal got its last approval needed; the opposite transfer is posted",
    "คำขอกลับรายการได้รับอนุมัติครบ และบันทึกรายการกลับแล้ว",
)
REVERSAL_REJECTED = _step(
    "rejected", "A reversal was rejected by the committee", "คณะกรรมการปฏิเสธคำขอกลับรายการ"
)
REVERSAL_CANCELLED = _step("cancelled", "A reversal request was withdrawn", "คำขอกลับรายการถูกยกเลิก")
EVENT_TYPES = (
    REVERSAL_REQUESTED,
    REVERSAL_APPROVAL_ADDED,
    REVERSAL_APPROVED,
    REVERSAL_REJECTED,
    REVERSAL_CANCELLED,
)
