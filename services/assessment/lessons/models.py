from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, String, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes


class LessonStatus(StrEnum):
    draft = "draft"  # the core team's own: never shown outside it
    published = "published"  # public


class LessonBase(SQLModel):
    title_th: str = Field(max_length=300)
    context: str = Field(default="", max_length=20_000, description="Where, who, and what the situation was")
    what_worked: str = Field(default="", max_length=20_000)
    what_did_not: str = Field(default="", max_length=20_000)
    conditions_for_reuse: str = Field(default="", max_length=20_000, description="What another area needs")
    themes: list[str] = Field(
        default_factory=list, sa_type=ARRAY(String(64)), nullable=False, description="e.g. welfare, coast"
    )
    area_code: str = Field(max_length=12, index=True, description="Where the lesson was drawn")
    fiscal_year: int | None = Field(default=None, description="Buddhist-era fiscal year of the work")
    team_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.teams.id", description="The core team that drew it")
    project_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    fund_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    outcome_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid), nullable=False)
    status: LessonStatus = Field(default=LessonStatus.draft, sa_type=choice(LessonStatus))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Lesson(LessonBase, Stored, table=True):
    """A lesson drawn by a core team (ถอดบทเรียน): what worked, what did not, and what reuse needs."""

    __tablename__ = "lessons"
    __table_args__ = (
        Index("ix_lessons_themes", "themes", postgresql_using="gin"),
        *trigram_indexes(
            "lessons", "title_th", "context", "what_worked", "what_did_not", "conditions_for_reuse"
        ),
        *paging_indexes("lessons"),
        {"schema": SCHEMA},
    )
