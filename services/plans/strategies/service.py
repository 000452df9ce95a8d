"""People's strategies: written by the province's own movement, readable by everyone."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal, Role
from services.common.geo.queries import within_area
from services.common.pagination import paginate
from services.plans.strategies.models import Strategy
from services.plans.strategies.schemas import StrategyCreate

STRATEGY_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: StrategyCreate) -> Strategy:
    """Record a province's strategy; only grants covering that province may."""
    principal.require(STRATEGY_AUTHORS, data.province_code)
    strategy = Strategy.model_validate(data, update={"created_by": principal.subject})
    session.add(strategy)
    await session.flush()
    log.info("strategy.created", strategy_id=str(strategy.id), province_code=strategy.province_code)
    return strategy


async def list_strategies(
    session: AsyncSession, *, area: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[Strategy], str | None]:
    statement = select(Strategy)
    if area:
        statement = statement.where(within_area(Strategy.province_code, area))
    return await paginate(session, statement, model=Strategy, cursor=cursor, limit=limit)
