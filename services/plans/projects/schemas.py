from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, computed_field
from pydantic.config import JsonDict

from services.common.money import Satang
from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    Day,
    FiscalYear,
    LongText,
    Name,
    PatchModel,
    ProvinceCode,
    RequestBody,
    whole_number,
)
from services.plans.projects.models import (
    ActivityBase,
    ActivityIssue,
    MilestoneBase,
    ProjectBase,
    ProjectStatus,
)

PROGRESS_FORMULA = "Σ(weight × progress_percent) ÷ Σ weight over the project's activities"

# an integer (`3`, or `3.0`), never `true` or `"3"`; the bounds come before the conversion, so the schema
# states them
Weight = Annotated[
    int,
    Field(strict=True, ge=1, le=100, description="Its share of the project's progress (1–100)"),
    BeforeValidator(whole_number),
]
Percent = Annotated[
    int,
    Field(strict=True, ge=0, le=100, description="How far along it is, 0–100"),
    BeforeValidator(whole_number),
]


class ProjectCreate(RequestBody):
    """A province has one integrated project per fiscal year: a second is 409 `project-exists`."""

    province_code: ProvinceCode
    fiscal_year: FiscalYear
    title_th: Name
    summary: LongText = ""


class ProjectUpdate(PatchModel):
    """Fields left out stay as they are; a project stays with its province and fiscal year."""

    title_th: Name | None = None
    summary: LongText | None = None
    status: ProjectStatus | None = None


class ProjectPublic(Shown, ProjectBase):
    weighted_progress: int = Field(description="Σ weight × progress_percent of its activities")
    weight_total: int = Field(description="Σ weight of its activities")

    @computed_field(description=f"{PROGRESS_FORMULA}, to one decimal; null while it has no activity")
    def progress_percent(self) -> float | None:
        return round(self.weighted_progress / self.weight_total, 1) if self.weight_total else None


ONE_WAY_TO_NAME_WHO: JsonDict = {"not": {"required": ["responsible_partner", "responsible_partner_id"]}}
RESPONSIBLE_ID = (
    "A partner of `/v1/partners` (404 when there is none); its name becomes `responsible_partner`"
)
RESPONSIBLE_NAME = "Who carries it out when it is not a recorded partner (a village group…)"


class ActivityCreate(RequestBody):
    """An activity happens in the project's province, or in one of its tambons (`area_code`). Who carries it
    out is a recorded partner (`responsible_partner_id`) or, for a group that is not one, a name
    (`responsible_partner`): one of the two."""

    model_config = ConfigDict(json_schema_extra=ONE_WAY_TO_NAME_WHO)

    area_code: AreaCode
    title_th: Name
    issue: ActivityIssue
    responsible_partner: Name | None = Field(None, description=RESPONSIBLE_NAME)
    responsible_partner_id: uuid.UUID | None = Field(None, description=RESPONSIBLE_ID)
    budget_satang: Satang = 0
    weight: Weight = 1
    progress_percent: Percent = 0


class ActivityUpdate(PatchModel):
    """Fields left out stay as they are; an activity stays with its project and its area. A new
    `responsible_partner` name unlinks the recorded partner; a new `responsible_partner_id` takes its name."""

    model_config = ConfigDict(json_schema_extra=ONE_WAY_TO_NAME_WHO)  # type: ignore[assignment]

    title_th: Name | None = None
    issue: ActivityIssue | None = None
    responsible_partner: Name | None = Field(None, description=RESPONSIBLE_NAME)
    responsible_partner_id: uuid.UUID | None = Field(None, description=RESPONSIBLE_ID)
    budget_satang: Satang | None = None
    weight: Weight | None = None
    progress_percent: Percent | None = None


class ActivityPublic(Shown, ActivityBase):
    pass


class MilestoneCreate(RequestBody):
    title_th: Name
    due_on: Day
    reached_on: Day | None = Field(None, description="Left out until it is reached")


class MilestoneUpdate(PatchModel):
    """Fields left out stay as they are; `reached_on` marks it reached."""

    title_th: Name | None = None
    due_on: Day | None = None
    reached_on: Day | None = None


class MilestonePublic(Shown, MilestoneBase):
    pass
