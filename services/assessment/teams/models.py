from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.resources import Stored, paging_indexes


class TeamKind(StrEnum):
    """The three support teams (ทีมหนุนเสริม)."""

    internal_empowerment = "internal_empowerment"  # ประเมินภายในเสริมพลัง
    outcome = "outcome"  # ประเมินผลลัพธ์ เชื่อมโยงนโยบาย
    core_lessons = "core_lessons"  # Core Team ถอดบทเรียน


class TeamBase(SQLModel):
    kind: TeamKind = Field(sa_type=String(32))
    name: str = Field(max_length=300)
    area_code: str = Field(max_length=12, index=True, description="DOPA code, CODI region or TH")


class Team(TeamBase, Stored, table=True):
    """A support team (ทีมหนุนเสริม) working for an area."""

    __tablename__ = "teams"
    __table_args__ = (*paging_indexes("teams"), {"schema": SCHEMA})
