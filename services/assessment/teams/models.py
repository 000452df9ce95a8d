from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.assessment.db import SCHEMA
from services.common.models import Timestamped, choice
from services.common.resources import Stored, paging_indexes


class TeamKind(StrEnum):
    """The three support teams (ทีมหนุนเสริม)."""

    internal_empowerment = "internal_empowerment"  # ประเมินภายในเสริมพลัง
    outcome = "outcome"  # ประเมินผลลัพธ์ เชื่อมโยงนโยบาย
    core_lessons = "core_lessons"  # Core Team ถอดบทเรียน


class TeamBase(SQLModel):
    kind: TeamKind = Field(sa_type=choice(TeamKind, 32))
    name: str = Field(max_length=300)
    area_code: str = Field(max_length=12, index=True, description="DOPA code, CODI region or TH")


class Team(TeamBase, Stored, table=True):
    """A support team (ทีมหนุนเสริม) working for an area."""

    __tablename__ = "teams"
    __table_args__ = (*paging_indexes("teams"), {"schema": SCHEMA})


class MemberRole(StrEnum):
    lead = "lead"  # reviews the team's work (an outcome's substantiation, a round's review)
    member = "member"


class Member(Timestamped, table=True):
    """A person on a team: the gateway account's id (a token's subject), never a name here."""

    __tablename__ = "team_members"
    __table_args__ = (Index("ix_team_members_user", "user_id"), {"schema": SCHEMA})

    team_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.teams.id", primary_key=True)
    user_id: str = Field(max_length=64, primary_key=True)
    role: MemberRole = Field(sa_type=choice(MemberRole))
    added_by: str = Field(max_length=64)


class Assignment(Timestamped, table=True):
    """An area a team works in (a province, or a tambon of it): its evaluators act there, nowhere else."""

    __tablename__ = "team_assignments"
    __table_args__ = (Index("ix_team_assignments_area", "area_code"), {"schema": SCHEMA})

    team_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.teams.id", primary_key=True)
    area_code: str = Field(max_length=12, primary_key=True)
    assigned_by: str = Field(max_length=64)
