"""A province's integrated project's events: opened, and revised."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from services.common.events.registry import EventData, EventType
from services.plans.projects.models import ActivityIssue, ProjectStatus


class ProjectData(EventData):
    """A project's public state after the change."""

    id: uuid.UUID
    province_code: str
    fiscal_year: int
    title_th: str
    summary: str
    status: ProjectStatus
    weighted_progress: int
    weight_total: int
    version: int
    created_at: datetime
    updated_at: datetime


PROJECT_CREATED = EventType(
    "project.created", "project", 1, ProjectData, "A province opened its project", "จังหวัดเปิดโครงการบูรณาการ"
)
PROJECT_UPDATED = EventType(
    "project.updated", "project", 1, ProjectData, "A project was revised", "โครงการถูกปรับปรุง"
)


class ProgressData(EventData):
    """A project's progress after one of its activities changed (PROGRESS_FORMULA, from these two sums)."""

    id: uuid.UUID
    province_code: str
    fiscal_year: int
    weighted_progress: int
    weight_total: int
    progress_percent: float | None


class ActivityData(EventData):
    """An activity's public state after the change."""

    id: uuid.UUID
    project_id: uuid.UUID
    area_code: str
    title_th: str
    issue: ActivityIssue
    responsible_partner: str | None
    responsible_partner_id: uuid.UUID | None = None
    budget_satang: int
    weight: int
    progress_percent: int
    version: int
    created_at: datetime
    updated_at: datetime


class MilestoneData(EventData):
    id: uuid.UUID
    project_id: uuid.UUID
    province_code: str
    title_th: str
    due_on: date
    reached_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


PROJECT_PROGRESS_CHANGED = EventType(
    "project.progress.changed",
    "project",
    1,
    ProgressData,
    "A project's progress changed",
    "ความคืบหน้าของโครงการเปลี่ยน",
)
ACTIVITY_CREATED = EventType(
    "activity.created", "activity", 1, ActivityData, "An activity was added to a project", "มีการเพิ่มกิจกรรม"
)
ACTIVITY_UPDATED = EventType(
    "activity.updated", "activity", 1, ActivityData, "An activity was revised", "กิจกรรมถูกปรับปรุง"
)
MILESTONE_CREATED = EventType(
    "milestone.created",
    "milestone",
    1,
    MilestoneData,
    "A project's milestone was set",
    "มีการตั้งหมุดหมายโครงการ",
)
MILESTONE_UPDATED = EventType(
    "milestone.updated", "milestone", 1, MilestoneData, "A milestone was moved or reached", "หมุดหมายถูกปรับปรุง"
)
EVENT_TYPES = (
    PROJECT_CREATED,
    PROJECT_UPDATED,
    PROJECT_PROGRESS_CHANGED,
    ACTIVITY_CREATED,
    ACTIVITY_UPDATED,
    MILESTONE_CREATED,
    MILESTONE_UPDATED,
)
