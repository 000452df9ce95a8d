from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.common.money import PositiveSatang
from services.common.resources import Shown
from services.common.types import FiscalYear, LongText, Name, PatchModel, ProvinceCode, Remark, RequestBody
from services.plans.strategies.models import (
    HORIZON_YEAR,
    GoalBase,
    Horizon,
    PlanBase,
    PlanStatus,
    StrategyBase,
)


class StrategyCreate(RequestBody):
    province_code: ProvinceCode
    title_th: Name
    vision: LongText = ""
    horizon_year: FiscalYear = Field(
        HORIZON_YEAR, description="The fiscal year its long plans run to (Buddhist era)"
    )


class StrategyUpdate(PatchModel):
    """Fields left out stay as they are; a strategy stays with its province. A horizon earlier than the end
    of one of its plans is 409 `plans-beyond-horizon`."""

    title_th: Name | None = None
    vision: LongText | None = None
    horizon_year: FiscalYear | None = None


class StrategyPublic(Shown, StrategyBase):
    pass


class GoalCreate(RequestBody):
    title_th: Name
    description: LongText = ""


class GoalUpdate(PatchModel):
    """Fields left out stay as they are; a goal stays with its strategy."""

    title_th: Name | None = None
    description: LongText | None = None


class GoalPublic(Shown, GoalBase):
    pass


class BudgetLine(RequestBody):
    """What one partner expects to bring to a plan."""

    partner_id: uuid.UUID = Field(description="A partner of `/v1/partners` (an unknown one is 422)")
    amount_satang: PositiveSatang
    purpose: Remark = ""


BudgetLines = Annotated[list[BudgetLine], Field(max_length=100, description="The joint budget, by partner")]


class PlanCreate(RequestBody):
    """A plan under a goal. Its years follow its horizon: a short plan is one fiscal year (`end_fiscal_year`
    left out, or the start year), a medium one three to five (`end_fiscal_year` required), a long one runs to
    the strategy's horizon year (left out, or that year: another is 409 `past-the-horizon`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"horizon": {"const": Horizon.medium.value}}, "required": ["horizon"]},
            "then": {"required": ["end_fiscal_year"]},
        }
    )

    goal_id: uuid.UUID
    title_th: Name
    summary: LongText = ""
    horizon: Horizon
    start_fiscal_year: FiscalYear
    end_fiscal_year: FiscalYear | None = None
    status: PlanStatus = PlanStatus.draft
    budget_lines: BudgetLines = []


class PlanUpdate(PatchModel):
    """Fields left out stay as they are; `budget_lines`, when sent, replaces the whole budget. A plan keeps
    its goal, horizon and years: a new span is a new plan."""

    title_th: Name | None = None
    summary: LongText | None = None
    status: PlanStatus | None = None
    budget_lines: BudgetLines | None = None


class BudgetLinePublic(BaseModel):
    partner_id: uuid.UUID
    amount_satang: int
    purpose: str


class PlanPublic(Shown, PlanBase):
    budget_lines: list[BudgetLinePublic] = Field(description="The joint budget it expects, by partner")  # type: ignore[assignment]
