"""People's strategies (ยุทธศาสตร์ภาคประชาชน): written by the province's own movement, readable by everyone —
the vision and the horizon year, the goals under it, and the plans under each goal with the joint budget
the partners expect to bring. A plan's years follow its horizon (short: one fiscal year; medium: three to
five; long: to the strategy's horizon year)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import confined
from services.plans.partners import repository as partners
from services.plans.problems import PastTheHorizon, PlansBeyondHorizon
from services.plans.strategies import repository
from services.plans.strategies.access import STRATEGY_AUTHORS
from services.plans.strategies.models import MEDIUM_YEARS, Horizon, Plan, PlanBase, PlanStatus, Strategy
from services.plans.strategies.repository import GOALS, PLANS, STRATEGIES
from services.plans.strategies.schemas import (
    BudgetLine,
    GoalCreate,
    GoalPublic,
    GoalUpdate,
    PlanCreate,
    PlanPublic,
    PlanUpdate,
    StrategyCreate,
    StrategyPublic,
    StrategyUpdate,
)


async def create(session: AsyncSession, principal: Principal, data: StrategyCreate) -> StrategyPublic:
    """Record a province's strategy; only grants covering that province may."""
    return await STRATEGIES.create(session, principal, data, may=STRATEGY_AUTHORS)


async def get(session: AsyncSession, principal: Principal | None, strategy_id: uuid.UUID) -> StrategyPublic:
    """A strategy is public; a partner system sees only those inside its grants."""
    return await STRATEGIES.read(session, principal, strategy_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    strategy_id: uuid.UUID,
    data: StrategyUpdate,
    expected_version: ExpectedVersions,
) -> StrategyPublic:
    """Revise a strategy's title, vision or horizon; the horizon cannot move before a plan's last year (409
    `plans-beyond-horizon` listing them). The strategy is locked first, as a plan's opening locks it."""
    strategy = await STRATEGIES.locked(session, principal, strategy_id, may=STRATEGY_AUTHORS)
    if data.horizon_year is not None and data.horizon_year < strategy.horizon_year:
        beyond = await repository.plans_ending_after(session, strategy.id, data.horizon_year)
        if beyond:
            raise PlansBeyondHorizon(horizon_year=data.horizon_year, plans=beyond)
    await STRATEGIES.revise(session, strategy, data, expected_version=expected_version)
    return STRATEGIES.shown(strategy)


async def list_strategies(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    page: PageRequest,
) -> Page[StrategyPublic]:
    """Strategies of the provinces inside `area`, in creation order (or by last change for sync)."""
    statement = STRATEGIES.within(confined(principal, area))
    return await STRATEGIES.page(session, statement, page)


async def add_goal(
    session: AsyncSession, principal: Principal, strategy_id: uuid.UUID, data: GoalCreate
) -> GoalPublic:
    """Set a goal of the strategy; its province's authors may."""
    return await GOALS.add_child(session, principal, strategy_id, data, may=STRATEGY_AUTHORS)


async def get_goal(
    session: AsyncSession, principal: Principal | None, strategy_id: uuid.UUID, goal_id: uuid.UUID
) -> GoalPublic:
    return await GOALS.read_child(session, principal, strategy_id, goal_id)


async def update_goal(
    session: AsyncSession,
    principal: Principal,
    strategy_id: uuid.UUID,
    goal_id: uuid.UUID,
    data: GoalUpdate,
    expected_version: ExpectedVersions,
) -> GoalPublic:
    return await GOALS.update_child(
        session,
        principal,
        strategy_id,
        goal_id,
        data,
        expected_version=expected_version,
        may=STRATEGY_AUTHORS,
    )


async def list_goals(
    session: AsyncSession, principal: Principal | None, strategy_id: uuid.UUID, *, page: PageRequest
) -> Page[GoalPublic]:
    """A strategy's goals, in the order they were set."""
    return await GOALS.children(session, principal, strategy_id, page)


async def create_plan(session: AsyncSession, principal: Principal, data: PlanCreate) -> PlanPublic:
    """Write a plan under a goal; its years follow its horizon and end by the strategy's horizon year."""
    goal = await GOALS.referenced(session, data.goal_id, pointer="/goal_id")
    strategy = await STRATEGIES.get(session, goal.strategy_id, for_update=True)  # its horizon holds meanwhile
    principal.require(STRATEGY_AUTHORS, strategy.province_code)
    end = _end_year(data, strategy)
    await _check_partners(session, data.budget_lines)
    fields = PlanBase(
        **data.model_dump(exclude={"goal_id", "end_fiscal_year", "budget_lines"}),
        goal_id=goal.id,
        strategy_id=strategy.id,
        province_code=strategy.province_code,
        end_fiscal_year=end,
        **_budget(data.budget_lines),
    )
    return await PLANS.create(session, principal, fields, may=STRATEGY_AUTHORS)


def _end_year(data: PlanCreate, strategy: Strategy) -> int:
    """The plan's last fiscal year: a rule of the body alone is 422, one of the strategy's horizon is 409."""
    start, end, horizon = data.start_fiscal_year, data.end_fiscal_year, strategy.horizon_year
    if end is not None and end < start:
        raise _end_error("It must not come before start_fiscal_year.", "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น")
    if data.horizon is Horizon.short:
        if end not in (None, start):
            raise _end_error(
                "A short plan is one fiscal year: leave end_fiscal_year out, or send the start year.",
                "แผนระยะสั้นมีหนึ่งปีงบประมาณ: ไม่ต้องระบุปีสิ้นสุด หรือระบุเป็นปีเริ่มต้น",
            )
        end = start
    elif data.horizon is Horizon.medium:
        if end is None or end - start + 1 not in MEDIUM_YEARS:
            raise _end_error(
                "A medium plan runs three to five fiscal years: end_fiscal_year is 2 to 4 after the start.",
                "แผนระยะกลางมีสามถึงห้าปีงบประมาณ: ปีสิ้นสุดต้องมากกว่าปีเริ่มต้น 2 ถึง 4 ปี",
            )
    elif end not in (None, horizon):
        raise PastTheHorizon(horizon_year=horizon, end_fiscal_year=end, long=True)
    else:
        end = horizon
    if end > horizon or start > horizon:
        raise PastTheHorizon(horizon_year=horizon, end_fiscal_year=end, long=data.horizon is Horizon.long)
    return end


def _end_error(en: str, th: str) -> errors.ValidationFailed:
    return errors.at_field(errors.ValidationFailed, "/end_fiscal_year", Text(en, th))


async def _check_partners(session: AsyncSession, lines: list[BudgetLine]) -> None:
    """Every budget line names a recorded partner (404 at the first line naming none)."""
    unknown = set(await partners.unknown(session, (line.partner_id for line in lines)))
    for index, line in enumerate(lines):
        if line.partner_id in unknown:
            pointer = f"/budget_lines/{index}/partner_id"
            raise errors.nothing_at(pointer, partners.PARTNERS.what, line.partner_id)


def _budget(lines: list[BudgetLine]) -> dict[str, Any]:
    return {
        "budget_lines": [line.model_dump(mode="json") for line in lines],
        "budget_total_satang": sum(line.amount_satang for line in lines),
    }


async def get_plan(session: AsyncSession, principal: Principal | None, plan_id: uuid.UUID) -> PlanPublic:
    return await PLANS.read(session, principal, plan_id)


async def update_plan(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    data: PlanUpdate,
    expected_version: ExpectedVersions,
) -> PlanPublic:
    """Revise a plan's text, status or whole budget; its province's authors may."""
    plan = await PLANS.locked(session, principal, plan_id, may=STRATEGY_AUTHORS)
    changes = data.model_dump(exclude_unset=True, exclude={"budget_lines"})
    if data.budget_lines is not None:
        await _check_partners(session, data.budget_lines)
        changes |= _budget(data.budget_lines)
    await PLANS.revise(session, plan, changes, expected_version=expected_version)
    return PLANS.shown(plan)


async def list_plans(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    goal_id: uuid.UUID | None,
    horizon: Horizon | None,
    status: PlanStatus | None,
    fiscal_year: int | None,
    page: PageRequest,
) -> Page[PlanPublic]:
    """Plans of the provinces inside `area`; of one goal, horizon or status; running in a fiscal year."""
    given = (Plan.goal_id, goal_id), (Plan.horizon, horizon), (Plan.status, status)
    statement = PLANS.within(confined(principal, area), *given)
    if fiscal_year is not None:
        statement = statement.where(
            col(Plan.start_fiscal_year) <= fiscal_year, col(Plan.end_fiscal_year) >= fiscal_year
        )
    return await PLANS.page(session, statement, page)
