from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, computed_field

from services.common.money import Satang
from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    FiscalYear,
    LongText,
    Name,
    PatchModel,
    ProvinceCode,
    RequestBody,
    whole_number,
)
from services.plans.projects.models import ActivityBase, ActivityIssue, ProjectBase, ProjectStatus

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


class ActivityCreate(RequestBody):
    """An activity happens in the project's province, or in one of its tambons (`area_code`)."""

    area_code: AreaCode
    title_th: Name
    issue: ActivityIssue
    responsible_partner: Name | None = None
    budget_satang: Satang = 0
    weight: Weight = 1
    progress_percent: Percent = 0


class ActivityUpdate(PatchModel):
    """Fields left out stay as they are; an activity stays with its project and its area."""

    title_th: Name | None = None
    issue: ActivityIssue | None = None
    responsible_partner: Name | None = None
    budget_satang: Satang | None = None
    weight: Weight | None = None
    progress_percent: Percent | None = None


class ActivityPublic(Shown, ActivityBase):
    pass
