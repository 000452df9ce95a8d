"""A people's strategy's events: the strategy, its goals and its plans, each recorded and revised."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.plans.strategies.models import Horizon, PlanStatus
from services.plans.strategies.schemas import BudgetLinePublic


class StrategyData(EventData):
    """A people's strategy's public state after the change."""

    id: uuid.UUID
    province_code: str
    title_th: str
    vision: str
    horizon_year: int
    version: int
    created_at: datetime
    updated_at: datetime


class GoalData(EventData):
    id: uuid.UUID
    strategy_id: uuid.UUID
    province_code: str
    title_th: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class PlanData(EventData):
    id: uuid.UUID
    strategy_id: uuid.UUID
    goal_id: uuid.UUID
    province_code: str
    title_th: str
    summary: str
    horizon: Horizon
    start_fiscal_year: int
    end_fiscal_year: int
    status: PlanStatus
    budget_lines: list[BudgetLinePublic]
    budget_total_satang: int
    version: int
    created_at: datetime
    updated_at: datetime


STRATEGY_CREATED = EventType(
    "strategy.created", "strategy", 1, StrategyData, "A strategy was recorded", "มีการบันทึกยุทธศาสตร์"
)
STRATEGY_UPDATED = EventType(
    "strategy.updated", "strategy", 1, StrategyData, "A strategy was revised", "ยุทธศาสตร์ถูกปรับปรุง"
)
GOAL_CREATED = EventType("goal.created", "goal", 1, GoalData, "A strategy's goal was set", "มีการตั้งเป้าหมาย")
GOAL_UPDATED = EventType("goal.updated", "goal", 1, GoalData, "A goal was revised", "เป้าหมายถูกปรับปรุง")
PLAN_CREATED = EventType("plan.created", "plan", 1, PlanData, "A plan was written", "มีการจัดทำแผน")
PLAN_UPDATED = EventType("plan.updated", "plan", 1, PlanData, "A plan was revised", "แผนถูกปรับปรุง")
EVENT_TYPES = (STRATEGY_CREATED, STRATEGY_UPDATED, GOAL_CREATED, GOAL_UPDATED, PLAN_CREATED, PLAN_UPDATED)
