"""A partner's events: recorded, and revised."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.plans.partners.models import Sector


class PartnerData(EventData):
    id: uuid.UUID
    name_th: str
    name_en: str | None
    sector: Sector
    area_code: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


PARTNER_CREATED = EventType(
    "partner.created", "partner", 1, PartnerData, "A partner was recorded", "มีการบันทึกภาคี"
)
PARTNER_UPDATED = EventType(
    "partner.updated", "partner", 1, PartnerData, "A partner was revised", "ข้อมูลภาคีถูกปรับปรุง"
)
EVENT_TYPES = (PARTNER_CREATED, PARTNER_UPDATED)
