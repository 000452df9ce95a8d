from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, Versioned

SCHEMA = "funds"


class FundKind(StrEnum):
    pooled_province = "pooled_province"
    tambon = "tambon"
    project = "project"
    revolving = "revolving"


class FundBase(SQLModel):
    name_th: str = Field(max_length=300, description="Name in Thai, e.g. กองทุนบริหารร่วมจังหวัดพัทลุง")
    kind: FundKind = Field(sa_type=String(32))
    area_code: str = Field(max_length=12, index=True, description="DOPA code of the area the fund serves")


class Fund(FundBase, Identified, Timestamped, Versioned, table=True):
    """A pooled community fund (กองทุนบริหารร่วม) of an area."""

    __tablename__ = "funds"
    __table_args__ = (
        Index("ix_funds_page_order", "created_at", "id"),
        Index("ix_funds_sync_order", "updated_at", "id"),
        {"schema": SCHEMA},
    )

    created_by: str = Field(max_length=64)
