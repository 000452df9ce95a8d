"""Funds: who may open a fund where, and how funds are listed."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal, Role
from services.common.geo.queries import within_area
from services.common.pagination import paginate
from services.funds.funds.models import Fund, FundKind
from services.funds.funds.schemas import FundCreate

FUND_OPENERS: tuple[Role, ...] = ("national", "regional", "provincial", "tambon")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: FundCreate) -> Fund:
    """Open a fund in an area the principal's grants cover."""
    principal.require(FUND_OPENERS, data.area_code)
    fund = Fund.model_validate(data, update={"created_by": principal.subject})
    session.add(fund)
    await session.flush()
    log.info("fund.created", fund_id=str(fund.id), area_code=fund.area_code, kind=fund.kind)
    return fund


async def list_funds(
    session: AsyncSession,
    *,
    area: str | None,
    kind: FundKind | None,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Fund], str | None]:
    statement = select(Fund)
    if area:
        statement = statement.where(within_area(Fund.area_code, area))
    if kind:
        statement = statement.where(Fund.kind == kind)
    return await paginate(session, statement, model=Fund, cursor=cursor, limit=limit)
