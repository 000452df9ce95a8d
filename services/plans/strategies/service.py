"""People's strategies: written by the province's own movement, readable by everyone."""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.pagination import Page
from services.common.resources import confined
from services.plans.strategies.access import STRATEGY_AUTHORS
from services.plans.strategies.models import Strategy
from services.plans.strategies.repository import STRATEGIES
from services.plans.strategies.schemas import StrategyCreate, StrategyPublic, StrategyUpdate

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: StrategyCreate) -> StrategyPublic:
    """Record a province's strategy; only grants covering that province may."""
    principal.require(STRATEGY_AUTHORS, data.province_code)
    strategy = Strategy.model_validate(data, update={"created_by": principal.subject})
    created = await STRATEGIES.add(session, strategy)
    log.info("strategy.created", strategy_id=str(created.id), province_code=created.province_code)
    return created


async def get(session: AsyncSession, principal: Principal | None, strategy_id: uuid.UUID) -> StrategyPublic:
    """A strategy is public; a partner system sees only those inside its grants."""
    return await STRATEGIES.read(session, principal, strategy_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    strategy_id: uuid.UUID,
    data: StrategyUpdate,
    expected_version: int | None,
) -> StrategyPublic:
    """Revise a strategy's title or vision; the province's own authors may."""
    strategy = await STRATEGIES.get(session, strategy_id, for_update=True)
    principal.require(STRATEGY_AUTHORS, strategy.province_code)
    if await STRATEGIES.revise(session, strategy, data, expected_version=expected_version):
        log.info("strategy.updated", strategy_id=str(strategy.id), version=strategy.version)
    return STRATEGIES.shown(strategy)


async def list_strategies(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[StrategyPublic]:
    """Strategies of the provinces inside `area`, in creation order (or by last change for sync)."""
    statement = STRATEGIES.within(confined(principal, area))
    return await STRATEGIES.page(session, statement, cursor=cursor, limit=limit, updated_since=updated_since)
