from __future__ import annotations

from fastapi import APIRouter, Query, status

from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from services.common.types import AreaCode
from services.funds.funds import service
from services.funds.funds.models import FundKind
from services.funds.funds.schemas import FundCreate, FundPublic

router = APIRouter(prefix="/v1/funds", tags=["funds"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=FundPublic, summary="Open a fund")
async def create_fund(body: FundCreate, session: Session, principal: CurrentPrincipal) -> FundPublic:
    fund = await service.create(session, principal, body)
    return FundPublic.model_validate(fund)


@router.get("", response_model=Page[FundPublic], summary="List funds (public)")
async def list_funds(
    session: Session,
    area: AreaCode | None = Query(None, description="Only funds inside this area (TH, region or DOPA code)"),
    kind: FundKind | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FundPublic]:
    funds, next_cursor = await service.list_funds(session, area=area, kind=kind, cursor=cursor, limit=limit)
    return Page(items=[FundPublic.model_validate(f) for f in funds], next_cursor=next_cursor)
