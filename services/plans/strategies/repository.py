"""Strategies as stored: one per province, its goals under it, and plans under a goal."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.strategies.models import Goal, Plan, Strategy
from services.plans.strategies.schemas import GoalPublic, PlanPublic, StrategyPublic

STRATEGIES = AreaResource(
    model=Strategy,
    public=StrategyPublic,
    area_field="province_code",
    what=Text("strategy", "ยุทธศาสตร์"),
    aggregate="strategy",
)
GOALS = AreaResource(
    model=Goal,
    public=GoalPublic,
    area_field="province_code",
    what=Text("goal", "เป้าหมาย"),
    aggregate="goal",
    parent=STRATEGIES,
    parent_field="strategy_id",
)
PLANS = AreaResource(
    model=Plan,
    public=PlanPublic,
    area_field="province_code",
    what=Text("plan", "แผน"),
    aggregate="plan",
)


async def plans_ending_after(session: AsyncSession, strategy_id: uuid.UUID, year: int) -> list[uuid.UUID]:
    """The strategy's plans whose last fiscal year comes after `year`."""
    statement = (
        select(Plan.id)
        .where(Plan.strategy_id == strategy_id, col(Plan.end_fiscal_year) > year)
        .order_by(col(Plan.end_fiscal_year).desc(), col(Plan.id))
        .limit(100)
    )
    return list((await session.exec(statement)).all())
