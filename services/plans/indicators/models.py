from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Numeric, SmallInteger, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA

QUANTITY = Numeric(19, 4)


class Measure(StrEnum):
    """IATI's measure codes: what an indicator's values are."""

    unit = "unit"  # a count or amount (households, rai, members)
    percent = "percent"  # a share, kept as numerator and denominator, never as a bare percentage
    qualitative = "qualitative"  # words, not numbers: reported and verified, not summed


class Direction(StrEnum):
    ascending = "ascending"  # more is better (households with secure housing)
    descending = "descending"  # less is better (households in debt)


class AreaRule(StrEnum):
    """How tambons' figures make a district's, a province's, a region's or the nation's (DHIS2's
    aggregation type)."""

    sum = "sum"
    average = "average"  # the mean over the tambons that reported
    min = "min"
    max = "max"
    ratio = "ratio"  # a percent: Σ numerator ÷ Σ denominator (the only rule a percent takes)


class PeriodRule(StrEnum):
    """How a tambon's quarters make its fiscal year (DHIS2's aggregation over periods)."""

    sum = "sum"  # a flow: loans made, members joined
    latest = "latest"  # a stock: households, members — never summed across quarters
    average = "average"


class PeriodKind(StrEnum):
    fiscal_year = "fiscal_year"  # one value a year: "2569"
    quarter = "quarter"  # fiscal quarters: "2569-Q1" (Oct–Dec 2568) … "2569-Q4"


class AttachedKind(StrEnum):
    plan = "plan"
    project = "project"
    activity = "activity"


class IndicatorBase(SQLModel):
    area_code: str = Field(
        max_length=12, index=True, description="Where it is measured: TH, a region or a province"
    )
    title_th: str = Field(max_length=300, description="Title in Thai")
    title_en: str | None = Field(default=None, max_length=300, description="Title in English")
    description: str = Field(default="", max_length=20_000, description="What is counted, and how")
    unit_th: str | None = Field(default=None, max_length=200, description="What one counts, e.g. ครัวเรือน")
    measure: Measure = Field(sa_type=choice(Measure))
    direction: Direction = Field(default=Direction.ascending, sa_type=choice(Direction))
    period_kind: PeriodKind = Field(default=PeriodKind.fiscal_year, sa_type=choice(PeriodKind))
    area_rule: AreaRule = Field(sa_type=choice(AreaRule))
    period_rule: PeriodRule = Field(sa_type=choice(PeriodRule))
    dimensions: list[str] = Field(
        default_factory=list, sa_type=JSONB, nullable=False, description="Its dimensions, e.g. TPMAP's five"
    )
    baseline_year: int | None = Field(default=None, description="Buddhist-era fiscal year of the baseline")
    baseline_value: Decimal | None = Field(default=None, sa_type=QUANTITY)
    baseline_numerator: Decimal | None = Field(default=None, sa_type=QUANTITY)
    baseline_denominator: Decimal | None = Field(default=None, sa_type=QUANTITY)
    attached_kind: AttachedKind | None = Field(default=None, sa_type=choice(AttachedKind))
    attached_id: uuid.UUID | None = Field(default=None, index=True)


class Indicator(IndicatorBase, Stored, table=True):
    """What a plan, project or activity promises to change, measured per tambon and rolled up by its rules."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("(measure = 'percent') = (area_rule = 'ratio')", name="ck_indicators_percent_ratio"),
        CheckConstraint("(attached_kind IS NULL) = (attached_id IS NULL)", name="ck_indicators_attached"),
        *paging_indexes("indicators"),
        *trigram_indexes("indicators", "title_th"),
        {"schema": SCHEMA},
    )


class Figure(SQLModel):
    """One figure of an indicator, shaped by its measure: `value` (unit), `numerator` and `denominator`
    (percent), or `text` (qualitative)."""

    value: Decimal | None = Field(default=None, sa_type=QUANTITY)
    numerator: Decimal | None = Field(default=None, sa_type=QUANTITY)
    denominator: Decimal | None = Field(default=None, sa_type=QUANTITY)
    text: str | None = Field(default=None, max_length=2_000)


class Placed(SQLModel):
    """Where and when a figure is: an area, a period of the indicator's kind, a dimension ('' for none)."""

    indicator_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.indicators.id")
    area_code: str = Field(max_length=6)
    period: str = Field(max_length=7, description='"2569" or "2569-Q1"')
    fiscal_year: int
    quarter: int = Field(default=0, sa_type=SmallInteger, description="1–4, or 0 for the whole fiscal year")
    dimension: str = Field(default="", max_length=32)


class Target(Placed, Figure, Identified, Timestamped, table=True):
    """What an area aims for in a period (a tambon's, or one set for a province or the nation)."""

    __tablename__ = "indicator_targets"
    __table_args__ = (
        UniqueConstraint("indicator_id", "area_code", "period", "dimension", name="uq_indicator_targets_key"),
        Index("ix_indicator_targets_year", "indicator_id", "fiscal_year"),
        {"schema": SCHEMA},
    )

    set_by: str = Field(max_length=64)
