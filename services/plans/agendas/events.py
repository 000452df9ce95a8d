"""A shared agenda item's events: put on the agenda, and revised."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.plans.agendas.models import Theme


class AgendaData(EventData):
    id: uuid.UUID
    province_code: str
    title_th: str
    description: str
    theme: Theme
    fiscal_years: list[int]
    plan_ids: list[uuid.UUID]
    project_ids: list[uuid.UUID]
    version: int
    created_at: datetime
    updated_at: datetime


AGENDA_CREATED = EventType(
    "agenda.created", "agenda", 1, AgendaData, "An item was put on a shared agenda", "มีการบรรจุวาระร่วม"
)
AGENDA_UPDATED = EventType(
    "agenda.updated", "agenda", 1, AgendaData, "A shared agenda item was revised", "วาระร่วมถูกปรับปรุง"
)
EVENT_TYPES = (AGENDA_CREATED, AGENDA_UPDATED)
