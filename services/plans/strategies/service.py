"""People's strategies: written by the province's own movement, readable by everyone."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal, Role
from services.common.events import record_event
from services.common.geo.queries import within_area
from services.common.i18n import Text
from services.common.pagination import paginate
from services.common.reads import Reader, get_public_or_404
from services.common.resources import apply_changes, get_or_404
from services.plans.strategies.models import Strategy
from services.plans.strategies.schemas import StrategyCreate, StrategyPublic, StrategyUpdate

STRATEGY_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
STRATEGY = Text("strategy", "ยุทธศาสตร์")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: StrategyCreate) -> Strategy:
    """Record a province's strategy; only grants covering that province may."""
    principal.require(STRATEGY_AUTHORS, data.province_code)
    strategy = Strategy.model_validate(data, update={"created_by": principal.subject})
    session.add(strategy)
    await session.flush()
    await record_event(
        session,
        type="strategy.created",
        aggregate_type="strategy",
        aggregate_id=str(strategy.id),
        area_code=strategy.province_code,
        data=strategy,
    )
    log.info("strategy.created", strategy_id=str(strategy.id), province_code=strategy.province_code)
    return strategy


async def get(reader: Reader, principal: Principal | None, strategy_id: uuid.UUID) -> StrategyPublic:
    strategy = await get_public_or_404(reader, Strategy, StrategyPublic, strategy_id, what=STRATEGY)
    if principal is not None:
        principal.confine_reads(strategy.province_code)
    return strategy


async def update(
    session: AsyncSession,
    principal: Principal,
    strategy_id: uuid.UUID,
    data: StrategyUpdate,
    expected_version: int | None,
) -> Strategy:
    """Revise a strategy's title or vision; the province's own authors may."""
    strategy = await get_or_404(session, Strategy, strategy_id, what=STRATEGY, for_update=True)
    principal.require(STRATEGY_AUTHORS, strategy.province_code)
    if apply_changes(strategy, data, expected_version=expected_version):
        await session.flush()
        await record_event(
            session,
            type="strategy.updated",
            aggregate_type="strategy",
            aggregate_id=str(strategy.id),
            area_code=strategy.province_code,
            data=strategy,
        )
        log.info("strategy.updated", strategy_id=str(strategy.id), version=strategy.version)
    return strategy


async def list_strategies(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Strategy], str | None]:
    if principal is not None:
        area = principal.confine_reads(area)
    statement = select(Strategy)
    if area:
        statement = statement.where(within_area(Strategy.province_code, area))
    return await paginate(
        session, statement, model=Strategy, cursor=cursor, limit=limit, updated_since=updated_since
    )
