from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, SmallInteger
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.common.models import choice
from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA

HORIZON_YEAR = 2579  # the movement's long horizon: the plans run "toward 2579"


class StrategyBase(SQLModel):
    province_code: str = Field(max_length=2, index=True, description="DOPA province code, e.g. 93")
    title_th: str = Field(max_length=300, description="Title in Thai (ยุทธศาสตร์ภาคประชาชน)")
    vision: str = Field(default="", max_length=20_000, description="The shared vision, in the people's words")
    horizon_year: int = Field(
        default=HORIZON_YEAR,
        sa_type=SmallInteger,
        sa_column_kwargs={"server_default": str(HORIZON_YEAR)},
        description="The fiscal year its long plans run to (Buddhist era)",
    )


class Strategy(StrategyBase, Stored, table=True):
    """A province's people's strategy (ยุทธศาสตร์ภาคประชาชน)."""

    __tablename__ = "strategies"
    __table_args__ = (
        *paging_indexes("strategies"),
        *trigram_indexes("strategies", "title_th", "vision"),
        {"schema": SCHEMA},
    )


class GoalBase(SQLModel):
    strategy_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.strategies.id", index=True)
    province_code: str = Field(max_length=2, description="The strategy's province")
    title_th: str = Field(max_length=300, description="The goal, in Thai (เป้าหมาย)")
    description: str = Field(default="", max_length=20_000)


class Goal(GoalBase, Stored, table=True):
    """One goal of a strategy: the plans that serve it sit under it."""

    __tablename__ = "strategy_goals"
    __table_args__ = (
        *paging_indexes("strategy_goals"),
        *trigram_indexes("strategy_goals", "title_th"),
        {"schema": SCHEMA},
    )


class Horizon(StrEnum):
    """How far a plan looks (the report's short / medium / long plans toward the horizon)."""

    short = "short"  # one fiscal year
    medium = "medium"  # three to five fiscal years
    long = "long"  # to the strategy's horizon year


MEDIUM_YEARS = range(3, 6)


class PlanStatus(StrEnum):
    draft = "draft"  # being written
    adopted = "adopted"  # agreed in the open (a forum's resolution)
    completed = "completed"
    withdrawn = "withdrawn"  # no longer pursued


class PlanBase(SQLModel):
    strategy_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.strategies.id", index=True)
    goal_id: uuid.UUID = Field(foreign_key=f"{SCHEMA}.strategy_goals.id", index=True)
    province_code: str = Field(max_length=2, index=True, description="The strategy's province")
    title_th: str = Field(max_length=300, description="Title in Thai (แผน)")
    summary: str = Field(default="", max_length=20_000)
    horizon: Horizon = Field(sa_type=choice(Horizon))
    start_fiscal_year: int = Field(sa_type=SmallInteger, description="Its first fiscal year (Buddhist era)")
    end_fiscal_year: int = Field(sa_type=SmallInteger, description="Its last fiscal year (Buddhist era)")
    status: PlanStatus = Field(default=PlanStatus.draft, sa_type=choice(PlanStatus))
    budget_lines: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_type=JSONB,
        nullable=False,
        description="The joint budget it expects: partner, satang, purpose",
    )
    budget_total_satang: int = Field(
        default=0, sa_type=BigInteger, description="Σ amount_satang of its budget lines"
    )


class Plan(PlanBase, Stored, table=True):
    """A plan under one goal of a province's strategy, with the joint budget its partners expect to bring."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("end_fiscal_year >= start_fiscal_year", name="ck_plans_years"),
        CheckConstraint("budget_total_satang >= 0", name="ck_plans_budget"),
        *paging_indexes("plans"),
        *trigram_indexes("plans", "title_th", "summary"),
        {"schema": SCHEMA},
    )
