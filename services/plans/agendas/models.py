from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Index, SmallInteger, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA


class Theme(StrEnum):
    """What a shared agenda item is about (the report's issues of the integrated provinces)."""

    water = "water"
    land = "land"
    agriculture = "agriculture"
    housing = "housing"
    debt = "debt"
    welfare = "welfare"
    environment = "environment"
    health = "health"
    education = "education"
    economy = "economy"
    culture = "culture"
    disaster = "disaster"
    other = "other"


class AgendaBase(SQLModel):
    province_code: str = Field(max_length=2, index=True, description="DOPA province code, e.g. 93")
    title_th: str = Field(max_length=300, description="The agenda item, in Thai (วาระร่วม)")
    description: str = Field(default="", max_length=20_000)
    theme: Theme = Field(sa_type=choice(Theme))
    fiscal_years: list[int] = Field(
        default_factory=list,
        sa_type=ARRAY(SmallInteger),
        nullable=False,
        description="The fiscal years it is on the province's annual agenda (Buddhist era, ascending)",
    )
    plan_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_type=ARRAY(Uuid), nullable=False, description="The plans that serve it"
    )
    project_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_type=ARRAY(Uuid), nullable=False, description="The projects that serve it"
    )


class Agenda(AgendaBase, Stored, table=True):
    """An item of a province's shared agenda (วาระร่วมจังหวัด): what its people and partners agree to work
    on together, the years it is on the annual agenda, and the plans and projects serving it."""

    __tablename__ = "agendas"
    __table_args__ = (
        Index("ix_agendas_fiscal_years", "fiscal_years", postgresql_using="gin"),
        Index("ix_agendas_plan_ids", "plan_ids", postgresql_using="gin"),
        Index("ix_agendas_project_ids", "project_ids", postgresql_using="gin"),
        *paging_indexes("agendas"),
        *trigram_indexes("agendas", "title_th", "description"),
        {"schema": SCHEMA},
    )
