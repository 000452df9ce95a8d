from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA


class Sector(StrEnum):
    """Who a partner is, in the words of the integrated provinces (ภาคีความร่วมมือ)."""

    government = "government"  # a ministry's provincial office, CODI
    local_government = "local_government"  # อบจ., อบต., เทศบาล
    academia = "academia"
    private = "private"
    civil_society = "civil_society"
    community_org = "community_org"  # ขบวนองค์กรชุมชน
    health_assembly = "health_assembly"  # สมัชชาสุขภาพ
    other = "other"


class PartnerBase(SQLModel):
    name_th: str = Field(max_length=300, description="The organisation's name in Thai")
    name_en: str | None = Field(default=None, max_length=300)
    sector: Sector = Field(sa_type=choice(Sector, 32))
    area_code: str = Field(max_length=12, index=True, description="Where it works: TH, a region, a province…")
    description: str = Field(default="", max_length=2_000)


class Partner(PartnerBase, Stored, table=True):
    """An organisation that works with the movement in an area: it signs agreements and carries activities."""

    __tablename__ = "partners"
    __table_args__ = (
        *paging_indexes("partners"),
        *trigram_indexes("partners", "name_th"),
        {"schema": SCHEMA},
    )
