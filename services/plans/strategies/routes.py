from __future__ import annotations

from fastapi import APIRouter, Query, status

from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from services.common.types import AreaCode
from services.plans.strategies import service
from services.plans.strategies.schemas import StrategyCreate, StrategyPublic

router = APIRouter(prefix="/v1/strategies", tags=["strategies"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StrategyPublic,
    summary="Record a people's strategy",
)
async def create_strategy(
    body: StrategyCreate, session: Session, principal: CurrentPrincipal
) -> StrategyPublic:
    strategy = await service.create(session, principal, body)
    return StrategyPublic.model_validate(strategy)


@router.get("", response_model=Page[StrategyPublic], summary="List people's strategies (public)")
async def list_strategies(
    session: Session,
    area: AreaCode | None = Query(None, description="Only strategies of provinces inside this area"),
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StrategyPublic]:
    rows, next_cursor = await service.list_strategies(session, area=area, cursor=cursor, limit=limit)
    return Page(items=[StrategyPublic.model_validate(s) for s in rows], next_cursor=next_cursor)
