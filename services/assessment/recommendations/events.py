"""A recommendation's events: proposed and edited (`recommendation.created`), and each change of status."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from services.assessment.recommendations.models import RecommendationStatus, TargetLevel
from services.common.events.registry import INLINE, EventData, EventType


class RecommendationData(EventData):
    id: uuid.UUID
    title_th: str
    target_level: Annotated[TargetLevel, INLINE]
    target_agency: str
    area_code: str
    outcome_ids: list[uuid.UUID]
    lesson_ids: list[uuid.UUID]
    status: Annotated[RecommendationStatus, INLINE]
    history: list[dict[str, Any]]
    version: int
    created_at: datetime
    updated_at: datetime


class StatusChangedData(EventData):
    id: uuid.UUID
    area_code: str
    target_agency: str
    previous_status: Annotated[RecommendationStatus, INLINE]
    status: Annotated[RecommendationStatus, INLINE]
    on: date
    note: str


RECOMMENDATION_CREATED = EventType(
    "recommendation.created",
    "recommendation",
    1,
    RecommendationData,
    "A policy recommendation was proposed",
    "มีการเสนอข้อเสนอเชิงนโยบาย",
)
RECOMMENDATION_STATUS_CHANGED = EventType(
    "recommendation.status_changed",
    "recommendation",
    1,
    StatusChangedData,
    "A policy recommendation moved on",
    "สถานะข้อเสนอเชิงนโยบายเปลี่ยน",
)
EVENT_TYPES = (RECOMMENDATION_CREATED, RECOMMENDATION_STATUS_CHANGED)
