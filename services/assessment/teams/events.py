"""A support team's events: formed, and renamed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from services.assessment.teams.models import TeamKind
from services.common.events.registry import INLINE, EventData, EventType


class TeamData(EventData):
    """A support team's public state after the change."""

    id: uuid.UUID
    kind: Annotated[TeamKind, INLINE]
    name: str
    area_code: str
    version: int
    created_at: datetime
    updated_at: datetime


TEAM_CREATED = EventType("team.created", "team", 1, TeamData, "A support team was formed", "มีการตั้งทีมหนุนเสริม")
TEAM_UPDATED = EventType("team.updated", "team", 1, TeamData, "A support team was renamed", "ทีมหนุนเสริมถูกแก้ไข")


class AssignmentData(EventData):
    """A team sent to an area, or called back (the area it works in)."""

    team_id: uuid.UUID
    kind: Annotated[TeamKind, INLINE]
    area_code: str


TEAM_ASSIGNED = EventType(
    "team.assignment.added", "team", 1, AssignmentData, "A team was assigned to an area", "ทีมได้รับมอบหมายพื้นที่"
)
TEAM_UNASSIGNED = EventType(
    "team.assignment.removed", "team", 1, AssignmentData, "A team left an area", "ทีมถูกถอนจากพื้นที่"
)
EVENT_TYPES = (TEAM_CREATED, TEAM_UPDATED, TEAM_ASSIGNED, TEAM_UNASSIGNED)
