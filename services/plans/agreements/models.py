from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, choice
from services.common.resources import Stored, paging_indexes
from services.plans.db import SCHEMA


class AgreementBase(SQLModel):
    project_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.projects.id")
    province_code: str = Field(max_length=2, index=True, description="The project's province")
    title_th: str = Field(max_length=300)
    summary: str = Field(default="", max_length=20_000, description="What the partners agree to do together")
    signed_on: date | None = Field(default=None, description="The day it was signed (Bangkok calendar)")


class Agreement(AgreementBase, Stored, table=True):
    """A project's one cooperation agreement (บันทึกข้อตกลงความร่วมมือ), signed by many partners; every
    amendment is kept."""

    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("project_id", name="uq_agreements_project"),
        *paging_indexes("agreements"),
        {"schema": SCHEMA},
    )


class SignatoryRole(StrEnum):
    lead = "lead"  # the partner that convenes it
    signatory = "signatory"
    supporter = "supporter"  # supports without obligations of its own
    witness = "witness"


class Signatory(Timestamped, table=True):
    """A partner that signed the agreement, in its role."""

    __tablename__ = "agreement_signatories"
    __table_args__ = ({"schema": SCHEMA},)

    agreement_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.agreements.id", primary_key=True)
    partner_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.partners.id", primary_key=True)
    role: SignatoryRole = Field(sa_type=choice(SignatoryRole))
    signed_on: date | None = None
    added_by: str = Field(max_length=64)


class Amendment(Identified, table=True):
    """One change of the agreement's text, with the version it made, what changed and why."""

    __tablename__ = "agreement_amendments"
    __table_args__ = (
        Index("ix_agreement_amendments_agreement", "agreement_id", "version"),
        {"schema": SCHEMA},
    )

    agreement_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.agreements.id")
    version: int = Field(description="The agreement's version after the amendment")
    reason: str = Field(max_length=2_000)
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONB, nullable=False, description="field → {before, after}"
    )
    amended_by: str = Field(max_length=64)
    amended_at: datetime = Field(sa_type=DateTime(timezone=True))
