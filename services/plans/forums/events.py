"""A forum's events: recorded and revised; a resolution adopted; a follow-up action added, revised, or
overdue (announced once, by the plans worker, the day after its due day)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from services.common.events.registry import EventData, EventType
from services.plans.forums.models import ActionStatus


class ForumData(EventData):
    """A forum's public state (attendees' names are never in an event)."""

    id: uuid.UUID
    area_code: str
    title_th: str
    held_on: date
    agenda: list[str]
    attendance: dict[str, int]
    version: int
    created_at: datetime
    updated_at: datetime


class ResolutionData(EventData):
    id: uuid.UUID
    forum_id: uuid.UUID
    area_code: str
    text_th: str
    project_id: uuid.UUID | None
    plan_id: uuid.UUID | None = None
    agenda_id: uuid.UUID | None = None
    created_at: datetime


class ActionData(EventData):
    id: uuid.UUID
    resolution_id: uuid.UUID
    area_code: str
    title_th: str
    owner_partner_id: uuid.UUID
    due_on: date
    status: ActionStatus
    done_on: date | None
    version: int
    updated_at: datetime


FORUM_CREATED = EventType(
    "forum.created", "forum", 1, ForumData, "A forum was recorded", "มีการบันทึกเวทีพื้นที่กลาง"
)
FORUM_UPDATED = EventType("forum.updated", "forum", 1, ForumData, "A forum was revised", "ข้อมูลเวทีถูกปรับปรุง")
RESOLUTION_ADOPTED = EventType(
    "forum.resolution.adopted", "forum", 1, ResolutionData, "A forum adopted a resolution", "เวทีมีมติ"
)
ACTION_CREATED = EventType(
    "forum.action.created", "forum.action", 1, ActionData, "A follow-up action was set", "มีการกำหนดการติดตามมติ"
)
ACTION_UPDATED = EventType(
    "forum.action.updated", "forum.action", 1, ActionData, "A follow-up action changed", "การติดตามมติเปลี่ยนแปลง"
)
ACTION_OVERDUE = EventType(
    "forum.action.overdue",
    "forum.action",
    1,
    ActionData,
    "A follow-up action is past its day",
    "การติดตามมติเลยกำหนด",
)
EVENT_TYPES = (
    FORUM_CREATED,
    FORUM_UPDATED,
    RESOLUTION_ADOPTED,
    ACTION_CREATED,
    ACTION_UPDATED,
    ACTION_OVERDUE,
)
