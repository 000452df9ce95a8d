from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.models import choice
from services.common.resources import Stored, paging_indexes


class TargetLevel(StrEnum):
    tambon = "tambon"
    province = "province"
    national = "national"


class RecommendationStatus(StrEnum):
    proposed = "proposed"
    submitted = "submitted"  # sent to the target agency
    accepted = "accepted"
    implemented = "implemented"
    rejected = "rejected"


# where each status may go next (implemented and rejected are where a recommendation ends)
NEXT: dict[RecommendationStatus, tuple[RecommendationStatus, ...]] = {
    RecommendationStatus.proposed: (RecommendationStatus.submitted, RecommendationStatus.rejected),
    RecommendationStatus.submitted: (RecommendationStatus.accepted, RecommendationStatus.rejected),
    RecommendationStatus.accepted: (RecommendationStatus.implemented, RecommendationStatus.rejected),
    RecommendationStatus.implemented: (),
    RecommendationStatus.rejected: (),
}


class RecommendationBase(SQLModel):
    title_th: str = Field(max_length=300)
    body: str = Field(default="", max_length=20_000, description="What is recommended, and why")
    target_level: TargetLevel = Field(sa_type=choice(TargetLevel))
    target_agency: str = Field(max_length=300, description="The agency asked to act")
    area_code: str = Field(
        max_length=12, index=True, description="Whose recommendation: the area it comes from"
    )
    outcome_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    lesson_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    status: RecommendationStatus = Field(
        default=RecommendationStatus.proposed, sa_type=choice(RecommendationStatus)
    )
    history: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSONB, nullable=False, description="Every status it had: on, note"
    )


class Recommendation(RecommendationBase, Stored, table=True):
    """A policy recommendation (ข้อเสนอเชิงนโยบาย) from community results to an agency, followed to its end."""

    __tablename__ = "recommendations"
    __table_args__ = (*paging_indexes("recommendations"), {"schema": SCHEMA})
