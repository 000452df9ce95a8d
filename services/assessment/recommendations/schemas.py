from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field
from sqlmodel import SQLModel

from services.assessment.recommendations.models import RecommendationBase, RecommendationStatus, TargetLevel
from services.common.resources import Shown
from services.common.types import AreaCode, Day, Distinct, LongText, Name, RequestBody, Sentence

Ids = Annotated[list[uuid.UUID], Field(max_length=50), *Distinct]


class RecommendationCreate(RequestBody):
    """A proposed recommendation of an area, resting on its published outcomes and lessons."""

    title_th: Name
    body: LongText = ""
    target_level: TargetLevel
    target_agency: Name
    area_code: AreaCode
    outcome_ids: Ids = []
    lesson_ids: Ids = []


class StatusChange(RequestBody):
    """The next status, the day it happened and what happened."""

    status: RecommendationStatus
    on: Day
    note: Sentence


class Step(SQLModel):
    status: RecommendationStatus
    on: date
    note: str


class RecommendationPublic(Shown, RecommendationBase):
    history: list[Step]  # type: ignore[assignment]
