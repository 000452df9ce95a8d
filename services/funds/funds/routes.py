from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import if_match_versions, numbered, resource_response
from services.common.geo import Region
from services.common.models import ExpectedVersions
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import FIRST_PAGE, Page, Paging, PagingInOrder
from services.common.people import People
from services.common.routing import api_router
from services.common.types import AreaCode
from services.funds import flows
from services.funds.funds import service
from services.funds.funds.access import may_see_people
from services.funds.funds.models import FundKind
from services.funds.funds.schemas import FundCreate, FundPublic, FundUpdate
from services.funds.funds.service import FundView
from services.funds.history import service as history
from services.funds.history.schemas import HistoryEntryPublic
from services.funds.reads import Reads

router = api_router(prefix="/v1/funds", tags=["funds"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=FundPublic, summary="Open a fund")
async def create_fund(
    body: FundCreate, request: Request, session: Session, principal: CurrentPrincipal, people: People
) -> Response:
    fund = await service.create(session, principal, body, people)
    response = fund_response(request, fund, status_code=201)
    response.headers["Location"] = f"/v1/funds/{fund.fund.id}"
    return response


@router.get("", response_model=Page[FundPublic], summary="List funds with their balances (public)")
async def list_funds(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only funds inside this area (TH, region or DOPA code)"),
    region: Region | None = Query(None, description="Only funds in this CODI region"),
    kind: FundKind | None = None,
    page: Paging = FIRST_PAGE,
) -> Page[FundPublic]:
    funds, next_cursor = await service.list_funds(
        session,
        principal,
        area=area,
        region=region,
        kind=kind,
        page=page,
    )
    return Page(items=funds, next_cursor=next_cursor)


@router.get(
    "/{fund_id}",
    response_model=FundPublic,
    summary="One fund with balance, reserved and available (public; ETag, If-None-Match)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_fund(
    fund_id: uuid.UUID, request: Request, reader: Reads, principal: MaybePrincipal
) -> Response:
    return fund_response(request, await service.get(reader, principal, fund_id))


@router.patch(
    "/{fund_id}",
    response_model=FundPublic,
    summary="Change a fund's names, committee or approvals_required (If-Match guards edits)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_fund(
    fund_id: uuid.UUID,
    body: FundUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    people: People,
) -> Response:
    fund = await flows.update_fund(
        session, principal, fund_id, body, expected_settings_version(request), people
    )
    return fund_response(request, fund)


@router.get(
    "/{fund_id}/history",
    response_model=Page[HistoryEntryPublic],
    summary="Who did what, when: settings, requests, approvals, decisions, payments (people: staff only)",
)
async def fund_history(
    fund_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    subject_id: uuid.UUID | None = Query(None, description="Only the history of this request"),
    page: PagingInOrder = FIRST_PAGE,
) -> Page[HistoryEntryPublic]:
    fund = await service.load_for_reading(session, principal, fund_id)
    items, next_cursor = await history.list_history(
        session,
        fund_id=fund.id,
        people=may_see_people(principal, fund.area_code),
        subject_id=subject_id,
        page=page,
    )
    return Page(items=items, next_cursor=next_cursor)


def fund_response(request: Request, fund: FundView, *, status_code: int = 200) -> Response:
    """The fund as JSON; its ETag's version `<settings version>.<balance revision>` changes whenever either
    does, so If-None-Match never hides a new balance."""
    return resource_response(request, fund.fund, fund.version, status_code=status_code)


def expected_settings_version(request: Request) -> ExpectedVersions:
    """The settings versions an `If-Match` edit accepts: money moving in the meantime does not make a change
    of the committee stale, a change of the settings does (412)."""
    return numbered(if_match_versions(request), lambda version: version.partition(".")[0])
