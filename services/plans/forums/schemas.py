from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, computed_field

from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    Day,
    Label,
    LongText,
    Name,
    PatchModel,
    RequestBody,
    Sentence,
    whole_number,
)
from services.plans.forums.models import ActionStatus, ForumBase
from services.plans.partners.models import Sector

Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000), BeforeValidator(whole_number)]
Agenda = Annotated[list[Label], Field(max_length=50, description="The agenda items, in order")]
Attendance = Annotated[
    dict[Sector, Count], Field(description="How many attended, by sector (names never public)")
]
Names = Annotated[list[Name], Field(max_length=1_000, description="Who attended (the area's staff see them)")]


class ForumCreate(RequestBody):
    """A forum held in an area: its agenda, minutes and attendance (counts by sector; names optional)."""

    area_code: AreaCode
    title_th: Name
    held_on: Day
    agenda: Agenda = []
    minutes: LongText = ""
    attendance: Attendance = {}
    attendee_names: Names = []


class ForumUpdate(PatchModel):
    """Fields left out stay as they are; a forum stays in its area."""

    title_th: Name | None = None
    held_on: Day | None = None
    agenda: Agenda | None = None
    minutes: LongText | None = None
    attendance: Attendance | None = None
    attendee_names: Names | None = None


class ForumPublic(Shown, ForumBase):
    attendee_names: list[str] | None = Field(
        description="Who attended: the area's staff only (null otherwise)"
    )


class ResolutionCreate(RequestBody):
    """A resolution the forum adopted; it may serve a project, a plan or a shared agenda item of the forum's
    province."""

    text_th: Sentence
    project_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    agenda_id: uuid.UUID | None = None


class ResolutionPublic(Shown):
    forum_id: uuid.UUID
    area_code: str
    text_th: str
    project_id: uuid.UUID | None
    plan_id: uuid.UUID | None
    agenda_id: uuid.UUID | None


class ActionCreate(RequestBody):
    """A follow-up of a resolution: the partner that carries it, and by when."""

    title_th: Name
    owner_partner_id: uuid.UUID
    due_on: Day


class ActionUpdate(PatchModel):
    """Mark it done (or dropped), or move its date."""

    title_th: Name | None = None
    due_on: Day | None = None
    status: ActionStatus | None = None


class ActionPublic(Shown):
    resolution_id: uuid.UUID
    area_code: str
    title_th: str
    owner_partner_id: uuid.UUID
    due_on: date
    status: ActionStatus
    done_on: date | None

    @computed_field(description="Still open after its due day (Bangkok calendar)")
    def overdue(self) -> bool:
        return self.status is ActionStatus.open and self.due_on < bangkok_date(utcnow())
