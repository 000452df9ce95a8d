"""A framework's events: a version written, and edited in place (a used one is never edited: the edit is a
new version, `framework.created` with its `version_no`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.common.events.registry import EventData, EventType


class FrameworkData(EventData):
    id: uuid.UUID
    family_id: uuid.UUID
    version_no: int
    key: str | None
    title_th: str
    title_en: str | None
    area_code: str
    builtin: bool
    levels: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    in_use: bool
    superseded_by: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


FRAMEWORK_CREATED = EventType(
    "framework.created",
    "framework",
    1,
    FrameworkData,
    "A framework version was written",
    "มีการสร้างกรอบการประเมิน",
)
FRAMEWORK_UPDATED = EventType(
    "framework.updated", "framework", 1, FrameworkData, "A framework was edited", "กรอบการประเมินถูกแก้ไข"
)
EVENT_TYPES = (FRAMEWORK_CREATED, FRAMEWORK_UPDATED)
