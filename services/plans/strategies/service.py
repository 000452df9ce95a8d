"""People's strategies: written by the province's own movement, readable by everyone."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.pagination import Page
from services.common.resources import confined
from services.plans.strategies.access import STRATEGY_AUTHORS
from services.plans.strategies.repository import STRATEGIES
from services.plans.strategies.schemas import StrategyCreate, StrategyPublic, StrategyUpdate


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
    expected_version: int | None,
) -> StrategyPublic:
    """Revise a strategy's title or vision; the province's own authors may."""
    return await STRATEGIES.update(
        session, principal, strategy_id, data, expected_version=expected_version, may=STRATEGY_AUTHORS
    )


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
