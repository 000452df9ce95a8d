from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, UpdatedSince
from services.common.reads import Reads
from services.common.routing import api_router
from services.common.types import AreaCode
from services.funds.funds import service
from services.funds.funds.models import FundKind
from services.funds.funds.schemas import FundCreate, FundPublic, FundUpdate

router = api_router(prefix="/v1/funds", tags=["funds"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=FundPublic, summary="Open a fund")
async def create_fund(
    body: FundCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    fund = await service.create(session, principal, body)
    response = resource_response(request, FundPublic.model_validate(fund), fund.version, status_code=201)
    response.headers["Location"] = f"/v1/funds/{fund.id}"
    return response


@router.get("", response_model=Page[FundPublic], summary="List funds (public)")
async def list_funds(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only funds inside this area (TH, region or DOPA code)"),
    kind: FundKind | None = None,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FundPublic]:
    funds, next_cursor = await service.list_funds(
        session, principal, area=area, kind=kind, updated_since=updated_since, cursor=cursor, limit=limit
    )
    return Page(items=[FundPublic.model_validate(f) for f in funds], next_cursor=next_cursor)


@router.get("/{fund_id}", response_model=FundPublic, summary="One fund (public; ETag, If-None-Match)")
async def get_fund(
    fund_id: uuid.UUID, request: Request, reader: Reads, principal: MaybePrincipal
) -> Response:
    fund = await service.get(reader, principal, fund_id)
    return resource_response(request, fund, fund.version)


@router.patch("/{fund_id}", response_model=FundPublic, summary="Change a fund (If-Match guards edits)")
async def update_fund(
    fund_id: uuid.UUID, body: FundUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    fund = await service.update(session, principal, fund_id, body, expected_version(request))
    return resource_response(request, FundPublic.model_validate(fund), fund.version)
