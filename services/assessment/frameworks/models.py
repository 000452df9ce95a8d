from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.resources import Stored, paging_indexes


class FrameworkBase(SQLModel):
    family_id: uuid.UUID = Field(index=True, description="The same for every version of the framework")
    version_no: int = Field(description="1, 2, … within its family: editing a used version makes the next")
    key: str | None = Field(default=None, max_length=64, description="A built-in's name (codi-10-factors…)")
    title_th: str = Field(max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", max_length=20_000)
    area_code: str = Field(max_length=12, index=True, description="Whose it is: TH for the built-ins")
    builtin: bool = Field(default=False, description="One of CODI's own (read-only: copy it to adapt it)")
    levels: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSONB, nullable=False, description="The scale, lowest first: level n"
    )
    criteria: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSONB, nullable=False, description="What is judged, weighted"
    )
    in_use: bool = Field(default=False, description="A round has used this version: editing makes a new one")
    superseded_by: uuid.UUID | None = Field(default=None, description="The version made by editing this one")


class Framework(FrameworkBase, Stored, table=True):
    """An assessment framework (a rubric): criteria, each judged on the same ordered levels, with descriptors
    and weights. Versioned: a version a round has used never changes, so old rounds keep their meaning."""

    __tablename__ = "frameworks"
    __table_args__ = (
        UniqueConstraint("family_id", "version_no", name="uq_frameworks_family_version"),
        *paging_indexes("frameworks"),
        {"schema": SCHEMA},
    )
