from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.problems import PastTheHorizon, PlansBeyondHorizon
from services.plans.strategies import service
from services.plans.strategies.models import Horizon, PlanStatus
from services.plans.strategies.schemas import (
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

router = api_router(prefix="/v1/strategies", tags=["strategies"])
plans_router = api_router(prefix="/v1/plans", tags=["plans"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StrategyPublic,
    summary="Record a people's strategy",
)
async def create_strategy(
    body: StrategyCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    strategy = await service.create(session, principal, body)
    response = resource_response(request, strategy, strategy.version, status_code=201)
    response.headers["Location"] = f"/v1/strategies/{strategy.id}"
    return response


@router.get("", response_model=Page[StrategyPublic], summary="List people's strategies (public)")
async def list_strategies(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only strategies of provinces inside this area"),
    page: Paging = FIRST_PAGE,
) -> Page[StrategyPublic]:
    return await service.list_strategies(session, principal, area=area, page=page)


@router.get(
    "/{strategy_id}",
    response_model=StrategyPublic,
    summary="One strategy (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_strategy(
    strategy_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    strategy = await service.get(session, principal, strategy_id)
    return resource_response(request, strategy, strategy.version)


@router.patch(
    "/{strategy_id}",
    response_model=StrategyPublic,
    summary="Revise a strategy (If-Match)",
    responses=problems(PlansBeyondHorizon),
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_strategy(
    strategy_id: uuid.UUID,
    body: StrategyUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    strategy = await service.update(session, principal, strategy_id, body, expected_version(request))
    return resource_response(request, strategy, strategy.version)


@router.post(
    "/{strategy_id}/goals",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalPublic,
    summary="Set a goal of a strategy",
)
async def add_goal(
    strategy_id: uuid.UUID, body: GoalCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    goal = await service.add_goal(session, principal, strategy_id, body)
    response = resource_response(request, goal, goal.version, status_code=201)
    response.headers["Location"] = f"/v1/strategies/{strategy_id}/goals/{goal.id}"
    return response


@router.get("/{strategy_id}/goals", response_model=Page[GoalPublic], summary="A strategy's goals (public)")
async def list_goals(
    strategy_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    page: Paging = FIRST_PAGE,
) -> Page[GoalPublic]:
    return await service.list_goals(session, principal, strategy_id, page=page)


@router.get(
    "/{strategy_id}/goals/{goal_id}",
    response_model=GoalPublic,
    summary="One goal (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_goal(
    strategy_id: uuid.UUID,
    goal_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    goal = await service.get_goal(session, principal, strategy_id, goal_id)
    return resource_response(request, goal, goal.version)


@router.patch(
    "/{strategy_id}/goals/{goal_id}",
    response_model=GoalPublic,
    summary="Revise a goal (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_goal(
    strategy_id: uuid.UUID,
    goal_id: uuid.UUID,
    body: GoalUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    goal = await service.update_goal(
        session, principal, strategy_id, goal_id, body, expected_version(request)
    )
    return resource_response(request, goal, goal.version)


@plans_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanPublic,
    summary="Write a plan under a strategy's goal, with its joint budget",
    responses=problems(PastTheHorizon),
)
async def create_plan(
    body: PlanCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    plan = await service.create_plan(session, principal, body)
    response = resource_response(request, plan, plan.version, status_code=201)
    response.headers["Location"] = f"/v1/plans/{plan.id}"
    return response


@plans_router.get("", response_model=Page[PlanPublic], summary="List plans (public)")
async def list_plans(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only plans of provinces inside this area"),
    goal_id: uuid.UUID | None = Query(None, description="Only the plans under this goal"),
    horizon: Horizon | None = Query(None, description="Only plans of this horizon"),
    status: PlanStatus | None = Query(None, description="Only plans in this status"),
    fiscal_year: FiscalYearQuery = None,
    page: Paging = FIRST_PAGE,
) -> Page[PlanPublic]:
    return await service.list_plans(
        session,
        principal,
        area=area,
        goal_id=goal_id,
        horizon=horizon,
        status=status,
        fiscal_year=fiscal_year,
        page=page,
    )


@plans_router.get(
    "/{plan_id}", response_model=PlanPublic, summary="One plan (public; ETag)", openapi_extra=CONDITIONAL_READ
)
async def get_plan(
    plan_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    plan = await service.get_plan(session, principal, plan_id)
    return resource_response(request, plan, plan.version)


@plans_router.patch(
    "/{plan_id}",
    response_model=PlanPublic,
    summary="Revise a plan: its text, status or whole budget (If-Match)",
    responses=problems(errors.NotFound),
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_plan(
    plan_id: uuid.UUID, body: PlanUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    plan = await service.update_plan(session, principal, plan_id, body, expected_version(request))
    return resource_response(request, plan, plan.version)
