"""A disbursement's events, one per step of its life (requested → approved → paid, or stopped)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from services.common.events.registry import INLINE, EventData, EventType
from services.funds.disbursements.models import DisbursementStatus, PayeeKind, ProjectVerification


class DisbursementData(EventData):
    """A disbursement's public state after the change (a private payee's name is "individual")."""

    id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int
    purpose: str
    payee_kind: Annotated[PayeeKind, INLINE]
    payee_name: str
    to_fund_id: uuid.UUID | None
    project_id: uuid.UUID | None
    project_verification: Annotated[ProjectVerification, INLINE] | None
    status: Annotated[DisbursementStatus, INLINE]
    approvals_count: int
    approvals_required: int
    transfer_id: uuid.UUID | None
    paid_at: datetime | None
    decision_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


def _step(verb: str, summary: str, summary_th: str) -> EventType:
    return EventType(f"fund.disbursement.{verb}", "fund", 1, DisbursementData, summary, summary_th)


DISBURSEMENT_REQUESTED = _step("requested", "A disbursement was requested", "มีคำขอเบิกจ่ายจากกองทุน")
DISBURSEMENT_APPROVAL_ADDED = _step(
    "approval_added",
    "A committee member approved a disbursement (one per approval; `approved` follows the last one needed)",
    "กรรมการอนุมัติคำขอเบิกจ่าย (หนึ่งครั้งต่อการอนุมัติ)",
)
DISBURSEMENT_APPROVED = _step(
    "approved",
    "A disbursement got its last approval needed; its amount is reserved",
    "คำขอเบิกจ่ายได้รับอนุมัติครบ และกันเงินไว้แล้ว",
)
DISBURSEMENT_REJECTED = _step(
    "rejected", "A disbursement was rejected by the committee", "คณะกรรมการปฏิเสธคำขอเบิกจ่าย"
)
DISBURSEMENT_CANCELLED = _step("cancelled", "A disbursement was withdrawn", "คำขอเบิกจ่ายถูกยกเลิก")
DISBURSEMENT_PAID = _step("paid", "A disbursement was paid (posted to the ledger)", "จ่ายเงินตามคำขอเบิกจ่ายแล้ว")
DISBURSEMENT_REVERSED = _step(
    "reversed",
    "A paid disbursement's payment was undone by an approved reversal",
    "การจ่ายเงินตามคำขอเบิกจ่ายถูกกลับรายการแล้ว",
)
EVENT_TYPES = (
    DISBURSEMENT_REQUESTED,
    DISBURSEMENT_APPROVAL_ADDED,
    DISBURSEMENT_APPROVED,
    DISBURSEMENT_REJECTED,
    DISBURSEMENT_CANCELLED,
    DISBURSEMENT_PAID,
    DISBURSEMENT_REVERSED,
)
