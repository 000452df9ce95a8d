"""A lesson's one event: published (a draft is the team's own, never announced)."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType


class LessonData(EventData):
    id: uuid.UUID
    title_th: str
    area_code: str
    themes: list[str]
    fiscal_year: int | None
    team_id: uuid.UUID
    version: int
    published_at: datetime | None


LESSON_PUBLISHED = EventType(
    "lesson.published", "lesson", 1, LessonData, "A lesson was published", "เผยแพร่บทเรียน"
)
EVENT_TYPES = (LESSON_PUBLISHED,)
