from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from services.common.approvals import AlreadyApproved, OwnRequest, WrongStatus
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.funds.approvals.schemas import ApprovalNote, Decision, Withdrawal
from services.funds.problems import (
    InsufficientFunds,
    NotOnCommittee,
    NotReversible,
)
from services.funds.reversals import service
from services.funds.reversals.schemas import ReversalCreate, ReversalDetail, ReversalPublic

router: APIRouter = api_router(prefix="/v1/funds/{fund_id}", tags=["funds"])


@router.post(
    "/transfers/{transfer_id}/reversal",
    status_code=status.HTTP_201_CREATED,
    response_model=ReversalPublic,
    summary="Ask for a posted transfer to be reversed as a whole, through the fund it takes money back out "
    "of; approved by that fund's committee like a disbursement",
    responses=problems(NotReversible),
)
async def request_reversal(
    fund_id: uuid.UUID,
    transfer_id: uuid.UUID,
    body: ReversalCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    reversal = await service.request(session, principal, fund_id, transfer_id, body.reason)
    response = resource_response(request, reversal, reversal.version, status_code=201)
    response.headers["Location"] = f"/v1/funds/{fund_id}/reversals/{reversal.id}"
    return response


@router.get("/reversals", response_model=Page[ReversalPublic], summary="A fund's reversal requests (public)")
async def list_reversals(
    fund_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    page: Paging = FIRST_PAGE,
) -> Page[ReversalPublic]:
    items, next_cursor = await service.list_reversals(session, principal, fund_id, page=page)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/reversals/{reversal_id}",
    response_model=ReversalDetail,
    summary="One reversal request with history",
    openapi_extra=CONDITIONAL_READ,
)
async def get_reversal(
    fund_id: uuid.UUID,
    reversal_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    detail, version = await service.get(session, principal, fund_id, reversal_id)
    return resource_response(request, detail, version)


@router.post(
    "/reversals/{reversal_id}/approve",
    response_model=ReversalPublic,
    summary="Approve as a committee member (not the requester); the last approval needed posts the reversal",
    responses=problems(InsufficientFunds, WrongStatus, AlreadyApproved, NotOnCommittee, OwnRequest),
)
async def approve_reversal(
    fund_id: uuid.UUID,
    reversal_id: uuid.UUID,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    body: ApprovalNote | None = None,
) -> Response:
    reversal = await service.approve(session, principal, fund_id, reversal_id, body.note if body else None)
    return resource_response(request, reversal, reversal.version)


@router.post(
    "/reversals/{reversal_id}/reject",
    response_model=ReversalPublic,
    summary="Reject a reversal request",
    responses=problems(WrongStatus, NotOnCommittee),
)
async def reject_reversal(
    fund_id: uuid.UUID,
    reversal_id: uuid.UUID,
    body: Decision,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    reversal = await service.reject(session, principal, fund_id, reversal_id, body.reason)
    return resource_response(request, reversal, reversal.version)


@router.post(
    "/reversals/{reversal_id}/cancel",
    response_model=ReversalPublic,
    summary="Withdraw a reversal request",
    responses=problems(WrongStatus, NotOnCommittee),
)
async def cancel_reversal(
    fund_id: uuid.UUID,
    reversal_id: uuid.UUID,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    body: Withdrawal | None = None,
) -> Response:
    reversal = await service.cancel(session, principal, fund_id, reversal_id, body.reason if body else None)
    return resource_response(request, reversal, reversal.version)
