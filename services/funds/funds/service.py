"""Funds: who may open or change a fund where, and how funds are listed."""

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
from services.funds.funds.models import Fund, FundKind
from services.funds.funds.schemas import FundCreate, FundPublic, FundUpdate

FUND_OPENERS: tuple[Role, ...] = ("national", "regional", "provincial", "tambon")
FUND = Text("fund", "กองทุน")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: FundCreate) -> Fund:
    """Open a fund in an area the principal's grants cover."""
    principal.require(FUND_OPENERS, data.area_code)
    fund = Fund.model_validate(data, update={"created_by": principal.subject})
    session.add(fund)
    await session.flush()
    await record_event(
        session,
        type="fund.created",
        aggregate_type="fund",
        aggregate_id=str(fund.id),
        area_code=fund.area_code,
        data=fund,
    )
    log.info("fund.created", fund_id=str(fund.id), area_code=fund.area_code, kind=fund.kind)
    return fund


async def get(reader: Reader, principal: Principal | None, fund_id: uuid.UUID) -> FundPublic:
    """A fund is public; a partner system is confined to the areas of its grants."""
    fund = await get_public_or_404(reader, Fund, FundPublic, fund_id, what=FUND)
    if principal is not None:
        principal.confine_reads(fund.area_code)
    return fund


async def update(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    data: FundUpdate,
    expected_version: int | None,
) -> Fund:
    """Change a fund's name or kind; the same grants that may open a fund there may change it."""
    fund = await get_or_404(session, Fund, fund_id, what=FUND, for_update=True)
    principal.require(FUND_OPENERS, fund.area_code)
    if apply_changes(fund, data, expected_version=expected_version):
        await session.flush()
        await record_event(
            session,
            type="fund.updated",
            aggregate_type="fund",
            aggregate_id=str(fund.id),
            area_code=fund.area_code,
            data=fund,
        )
        log.info("fund.updated", fund_id=str(fund.id), version=fund.version)
    return fund


async def list_funds(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    kind: FundKind | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Fund], str | None]:
    if principal is not None:
        area = principal.confine_reads(area)
    statement = select(Fund)
    if area:
        statement = statement.where(within_area(Fund.area_code, area))
    if kind:
        statement = statement.where(Fund.kind == kind)
    return await paginate(
        session, statement, model=Fund, cursor=cursor, limit=limit, updated_since=updated_since
    )
