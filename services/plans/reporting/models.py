"""The data chain's rows: an update someone proposes, the value it becomes once approved, and the stamps on a
tambon's and a province's period (verified, returned; certified, reopened)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from services.common.models import Identified, Timestamped, Versioned, choice
from services.common.resources import Stored, paging_indexes
from services.plans.db import SCHEMA
from services.plans.indicators.models import Figure, Placed


class UpdateStatus(StrEnum):
    draft = "draft"  # its author is still writing it
    submitted = "submitted"  # waiting for a reviewer
    returned = "returned"  # sent back with a comment; the author may revise and submit again
    approved = "approved"  # its figure is the tambon's value


class Update(Placed, Figure, Stored, table=True):
    """A figure for one tambon, period and dimension, proposed by someone who collected it; only its approval
    changes the value people see."""

    __tablename__ = "indicator_updates"
    __table_args__ = (
        Index("ix_indicator_updates_place", "indicator_id", "area_code", "period", "status"),
        *paging_indexes("indicator_updates"),
        {"schema": SCHEMA},
    )

    note: str = Field(default="", max_length=2_000, description="How the figure was collected")
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB, nullable=False)
    status: UpdateStatus = Field(default=UpdateStatus.draft, sa_type=choice(UpdateStatus))
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    reviewed_by: str | None = Field(default=None, max_length=64)
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    review_comment: str | None = Field(default=None, max_length=2_000)


class Value(Placed, Figure, Identified, Timestamped, Versioned, table=True):
    """A tambon's approved figure for a period and dimension: what rollups count. A stored zero is a value;
    a tambon with no row has not reported."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("indicator_id", "area_code", "period", "dimension", name="uq_indicator_values_key"),
        Index("ix_indicator_values_year", "indicator_id", "fiscal_year", "area_code"),
        *paging_indexes("indicator_values"),
        {"schema": SCHEMA},
    )

    update_id: uuid.UUID | None = Field(default=None, description="The approved update it came from")
    approved_by: str = Field(max_length=64)
    approved_at: datetime = Field(sa_type=DateTime(timezone=True))


class TambonStatus(StrEnum):
    open = "open"  # values may still change
    verified = "verified"  # the tambon signed its figures; they stay until the province sends them back
    returned = "returned"  # the province sent it back, with a reason the tambon sees


class ProvinceStatus(StrEnum):
    open = "open"
    certified = "certified"  # the province signed its figures: the period is locked
    reopened = "reopened"  # a national user reopened it, with a reason


class PeriodStamps(Timestamped, Versioned):
    indicator_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.indicators.id", primary_key=True)
    period: str = Field(max_length=7, primary_key=True)


class TambonPeriod(PeriodStamps, table=True):
    """A tambon's period of one indicator: verified by the tambon, sent back by the province."""

    __tablename__ = "indicator_tambon_periods"
    __table_args__ = ({"schema": SCHEMA},)

    area_code: str = Field(max_length=6, primary_key=True)
    status: TambonStatus = Field(default=TambonStatus.open, sa_type=choice(TambonStatus))
    verified_by: str | None = Field(default=None, max_length=64)
    verified_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    returned_by: str | None = Field(default=None, max_length=64)
    returned_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    return_reason: str | None = Field(default=None, max_length=2_000)


class ProvincePeriod(PeriodStamps, table=True):
    """A province's period of one indicator: certified by the province (locking it), reopened nationally."""

    __tablename__ = "indicator_province_periods"
    __table_args__ = ({"schema": SCHEMA},)

    province_code: str = Field(max_length=2, primary_key=True)
    status: ProvinceStatus = Field(default=ProvinceStatus.open, sa_type=choice(ProvinceStatus))
    certified_by: str | None = Field(default=None, max_length=64)
    certified_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    reopened_by: str | None = Field(default=None, max_length=64)
    reopened_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    reopen_reason: str | None = Field(default=None, max_length=2_000)
