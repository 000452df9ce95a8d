from __future__ import annotations

import uuid

from fastapi import Request, Response, status

from services.common import errors
from services.common.approvals import AlreadyApproved, OwnRequest, WrongStatus
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.funds.approvals.schemas import ApprovalNote, Decision, Withdrawal
from services.funds.disbursements import service
from services.funds.disbursements.models import DisbursementStatus
from services.funds.disbursements.schemas import (
    DisbursementCreate,
    DisbursementDetail,
    DisbursementPublic,
    Payment,
)
from services.funds.problems import (
    InsufficientFunds,
    NotOnCommittee,
)

router = api_router(prefix="/v1/funds/{fund_id}/disbursements", tags=["funds"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DisbursementPublic,
    summary="Request a disbursement (to an organisation, a person or another fund); the committee approves",
    responses=problems(errors.ServiceUnavailable),
)
async def request_disbursement(
    fund_id: uuid.UUID,
    body: DisbursementCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    disbursement = await service.request(session, principal, fund_id, body)
    response = resource_response(request, disbursement, disbursement.version, status_code=201)
    response.headers["Location"] = f"/v1/funds/{fund_id}/disbursements/{disbursement.id}"
    return response


@router.get("", response_model=Page[DisbursementPublic], summary="A fund's disbursements (public)")
async def list_disbursements(
    fund_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    status: DisbursementStatus | None = None,
    page: Paging = FIRST_PAGE,
) -> Page[DisbursementPublic]:
    items, next_cursor = await service.list_disbursements(
        session, principal, fund_id, status=status, page=page
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{disbursement_id}",
    response_model=DisbursementDetail,
    summary="One disbursement with its history (public; people shown to the area's staff only)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_disbursement(
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    detail, version = await service.get(session, principal, fund_id, disbursement_id)
    return resource_response(request, detail, version)


@router.post(
    "/{disbursement_id}/approve",
    response_model=DisbursementPublic,
    summary="Approve as a committee member (not the requester); the last approval needed reserves the amount "
    "or fails with 409 insufficient-funds",
    responses=problems(InsufficientFunds, WrongStatus, AlreadyApproved, NotOnCommittee, OwnRequest),
)
async def approve_disbursement(
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    body: ApprovalNote | None = None,
) -> Response:
    note = body.note if body else None
    disbursement = await service.approve(session, principal, fund_id, disbursement_id, note)
    return resource_response(request, disbursement, disbursement.version)


@router.post(
    "/{disbursement_id}/reject",
    response_model=DisbursementPublic,
    summary="Reject as a committee member; a reservation is released",
    responses=problems(WrongStatus, NotOnCommittee),
)
async def reject_disbursement(
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    body: Decision,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    disbursement = await service.reject(session, principal, fund_id, disbursement_id, body.reason)
    return resource_response(request, disbursement, disbursement.version)


@router.post(
    "/{disbursement_id}/cancel",
    response_model=DisbursementPublic,
    summary="Withdraw (the requester or a committee member); a reservation is released",
    responses=problems(WrongStatus, NotOnCommittee),
)
async def cancel_disbursement(
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    body: Withdrawal | None = None,
) -> Response:
    reason = body.reason if body else None
    disbursement = await service.cancel(session, principal, fund_id, disbursement_id, reason)
    return resource_response(request, disbursement, disbursement.version)


@router.post(
    "/{disbursement_id}/pay",
    response_model=DisbursementPublic,
    summary="Record the payment of an approved disbursement: reserved → paid, posted to the ledger",
    responses=problems(WrongStatus),
)
async def pay_disbursement(
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    body: Payment,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    disbursement = await service.pay(session, principal, fund_id, disbursement_id, body.payment_reference)
    return resource_response(request, disbursement, disbursement.version)
