from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from services.assessment.lessons.models import LessonBase
from services.common.resources import Shown
from services.common.types import AreaCode, Distinct, FiscalYear, LongText, Name, PatchModel, RequestBody

Theme = Annotated[
    str, Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9-]*$", description="e.g. welfare")
]
Themes = Annotated[list[Theme], Field(max_length=20), *Distinct]
Ids = Annotated[list[uuid.UUID], Field(max_length=50), *Distinct]


class LessonCreate(RequestBody):
    """A draft lesson of a core lessons team assigned to its area."""

    title_th: Name
    context: LongText = ""
    what_worked: LongText = ""
    what_did_not: LongText = ""
    conditions_for_reuse: LongText = ""
    themes: Themes = []
    area_code: AreaCode
    fiscal_year: FiscalYear | None = None
    team_id: uuid.UUID
    project_ids: Ids = []
    fund_ids: Ids = []
    outcome_ids: Ids = []


class LessonUpdate(PatchModel):
    """Fields left out stay as they are; a lesson stays with its team and area."""

    title_th: Name | None = None
    context: LongText | None = None
    what_worked: LongText | None = None
    what_did_not: LongText | None = None
    conditions_for_reuse: LongText | None = None
    themes: Themes | None = None
    fiscal_year: FiscalYear | None = None
    project_ids: Ids | None = None
    fund_ids: Ids | None = None
    outcome_ids: Ids | None = None


class LessonPublic(Shown, LessonBase):
    pass
