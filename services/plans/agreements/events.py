"""An agreement's events: recorded, amended (`agreement.updated`), and signed by a partner."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from services.common.events.registry import EventData, EventType
from services.plans.agreements.models import SignatoryRole


class AgreementData(EventData):
    id: uuid.UUID
    project_id: uuid.UUID
    province_code: str
    title_th: str
    summary: str
    signed_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class SignedData(EventData):
    agreement_id: uuid.UUID
    project_id: uuid.UUID
    partner_id: uuid.UUID
    partner_name_th: str
    role: SignatoryRole
    signed_on: date | None


AGREEMENT_CREATED = EventType(
    "agreement.created",
    "agreement",
    1,
    AgreementData,
    "A project's agreement was recorded",
    "มีการบันทึกข้อตกลงความร่วมมือ",
)
AGREEMENT_UPDATED = EventType(
    "agreement.updated", "agreement", 1, AgreementData, "An agreement was amended", "ข้อตกลงความร่วมมือถูกแก้ไข"
)
AGREEMENT_SIGNED = EventType(
    "agreement.signed",
    "agreement",
    1,
    SignedData,
    "A partner signed an agreement",
    "ภาคีลงนามในข้อตกลงความร่วมมือ",
)
EVENT_TYPES = (AGREEMENT_CREATED, AGREEMENT_UPDATED, AGREEMENT_SIGNED)
