from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.geo import AreaLevel
from services.common.models import Identified, Timestamped, Versioned, choice
from services.funds.db import SCHEMA

MAX_APPROVALS = 20
MAX_COMMITTEE = 50


class FundKind(StrEnum):
    pooled_province = "pooled_province"
    tambon = "tambon"
    project = "project"
    revolving = "revolving"


# a kind tied to one level of area serves an area of that level (the others serve any area)
KIND_LEVEL: dict[FundKind, AreaLevel] = {FundKind.pooled_province: "province", FundKind.tambon: "tambon"}


class FundBase(SQLModel):
    name_th: str = Field(max_length=300, description="Name in Thai, e.g. กองทุนบริหารร่วมจังหวัดพัทลุง")
    name_en: str | None = Field(default=None, max_length=300, description="Name in English, if any")
    kind: FundKind = Field(sa_type=choice(FundKind, 32))
    area_code: str = Field(max_length=12, index=True, description="DOPA code of the area the fund serves")
    approvals_required: int = Field(
        default=2,
        ge=1,
        le=MAX_APPROVALS,
        description="Committee approvals a disbursement or reversal needs (the requester never counts)",
    )


class Fund(FundBase, Identified, Timestamped, Versioned, table=True):
    """A pooled community fund (กองทุนบริหารร่วม) of an area; its money lives in the ledger."""

    __tablename__ = "funds"
    __table_args__ = (
        Index("ix_funds_page_order", "created_at", "id"),
        Index("ix_funds_sync_order", "updated_at", "id"),
        # a member's inbox and their account's changes find the funds whose committee holds them (@>)
        Index(
            "ix_funds_committee",
            "committee",
            postgresql_using="gin",
            postgresql_ops={"committee": "jsonb_path_ops"},
        ),
        CheckConstraint(
            f"approvals_required BETWEEN 1 AND {MAX_APPROVALS}", name="ck_funds_approvals_required"
        ),
        {"schema": SCHEMA},
    )

    created_by: str = Field(max_length=64)
    # user ids (strings) of the committee that approves disbursements; never shown to the public
    committee: list[str] = Field(default_factory=list, sa_type=JSONB, nullable=False)
