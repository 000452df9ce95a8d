from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from services.common.resources import Shown
from services.common.types import Distinct, FiscalYear, LongText, Name, PatchModel, ProvinceCode, RequestBody
from services.plans.agendas.models import AgendaBase, Theme

FiscalYears = Annotated[
    list[FiscalYear], Field(max_length=30, description="Years on the annual agenda"), *Distinct
]
PlanIds = Annotated[
    list[uuid.UUID],
    *Distinct,
    Field(max_length=50, description="Plans of the province serving it"),
]
ProjectIds = Annotated[
    list[uuid.UUID],
    *Distinct,
    Field(max_length=50, description="Projects of the province serving it"),
]


class AgendaCreate(RequestBody):
    """A shared agenda item; the plans and projects serving it are of its province (another's is 409)."""

    province_code: ProvinceCode
    title_th: Name
    description: LongText = ""
    theme: Theme
    fiscal_years: FiscalYears = []
    plan_ids: PlanIds = []
    project_ids: ProjectIds = []


class AgendaUpdate(PatchModel):
    """Fields left out stay as they are; a list, when sent, replaces the whole list. An agenda stays with its
    province."""

    title_th: Name | None = None
    description: LongText | None = None
    theme: Theme | None = None
    fiscal_years: FiscalYears | None = None
    plan_ids: PlanIds | None = None
    project_ids: ProjectIds | None = None


class AgendaPublic(Shown, AgendaBase):
    pass
