from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from services.common.approvals import WrongStatus
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.indicators.schemas import PERIOD_PATTERN
from services.plans.problems import (
    NotTheAuthor,
    OwnUpdate,
    PeriodLocked,
    TambonsUnverified,
    UpdatesPending,
)
from services.plans.reporting import service, verification
from services.plans.reporting.models import UpdateStatus
from services.plans.reporting.schemas import (
    ProvincePeriodPublic,
    Reason,
    TambonPeriodPublic,
    UpdateCreate,
    UpdatePublic,
    UpdateRevise,
    ValuePublic,
)

router = api_router(prefix="/v1/indicators/{indicator_id}", tags=["indicator data"])
PeriodPath = Annotated[str, Path(pattern=PERIOD_PATTERN, description='"2569" or "2569-Q1"')]
TambonPath = Annotated[str, Path(pattern=r"^\d{6}$", description="A tambon's DOPA code")]
ProvincePath = Annotated[str, Path(pattern=r"^\d{2}$", description="A province's DOPA code")]
PeriodQuery = Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="Only this period")]


@router.post(
    "/updates",
    status_code=status.HTTP_201_CREATED,
    response_model=UpdatePublic,
    summary="Enter a tambon's figure for a period (a draft, or submitted with `submit: true`)",
    responses=problems(PeriodLocked),
)
async def create_update(
    indicator_id: uuid.UUID,
    body: UpdateCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    update = await service.create_update(session, principal, indicator_id, body)
    response = resource_response(request, update, update.version, status_code=201)
    response.headers["Location"] = f"/v1/indicators/{indicator_id}/updates/{update.id}"
    return response


@router.get("/updates", response_model=Page[UpdatePublic], summary="Updates of an area (the area's staff)")
async def list_updates(
    indicator_id: uuid.UUID,
    session: ReadSession,
    principal: CurrentPrincipal,
    area: AreaCode | None = Query(None, description="Only updates of tambons inside this area"),
    period: PeriodQuery = None,
    update_status: UpdateStatus | None = Query(
        None, alias="status", description="Only updates in this status"
    ),
    page: Paging = FIRST_PAGE,
) -> Page[UpdatePublic]:
    return await service.list_updates(
        session,
        principal,
        indicator_id,
        area=area,
        period=period,
        status=update_status,
        page=page,
    )


@router.get(
    "/updates/{update_id}",
    response_model=UpdatePublic,
    summary="One update (the area's staff; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_update(
    indicator_id: uuid.UUID,
    update_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: CurrentPrincipal,
) -> Response:
    update = await service.get_update(session, principal, indicator_id, update_id)
    return resource_response(request, update, update.version)


@router.patch(
    "/updates/{update_id}",
    response_model=UpdatePublic,
    summary="Revise a draft or returned update (its author; If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
    responses=problems(NotTheAuthor, WrongStatus, PeriodLocked),
)
async def revise_update(
    indicator_id: uuid.UUID,
    update_id: uuid.UUID,
    body: UpdateRevise,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    update = await service.revise_update(
        session, principal, indicator_id, update_id, body, expected_version(request)
    )
    return resource_response(request, update, update.version)


@router.post(
    "/updates/{update_id}/submit",
    response_model=UpdatePublic,
    summary="Send a draft for review (its author)",
    responses=problems(NotTheAuthor, WrongStatus, PeriodLocked),
)
async def submit_update(
    indicator_id: uuid.UUID, update_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> UpdatePublic:
    return await service.submit_update(session, principal, indicator_id, update_id)


@router.post(
    "/updates/{update_id}/approve",
    response_model=UpdatePublic,
    summary="Approve a submitted update: its figure becomes the tambon's value (not its author)",
    responses=problems(OwnUpdate, WrongStatus, PeriodLocked),
)
async def approve_update(
    indicator_id: uuid.UUID, update_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> UpdatePublic:
    return await service.approve_update(session, principal, indicator_id, update_id)


@router.post(
    "/updates/{update_id}/return",
    response_model=UpdatePublic,
    summary="Send a submitted update back with a reason (not its author; the value stays)",
    responses=problems(OwnUpdate, WrongStatus, PeriodLocked),
)
async def return_update(
    indicator_id: uuid.UUID, update_id: uuid.UUID, body: Reason, session: Session, principal: CurrentPrincipal
) -> UpdatePublic:
    return await service.return_update(session, principal, indicator_id, update_id, body.reason)


@router.get("/values", response_model=Page[ValuePublic], summary="Tambons' approved values (public)")
async def list_values(
    indicator_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only values of tambons inside this area"),
    period: PeriodQuery = None,
    fiscal_year: FiscalYearQuery = None,
    page: Paging = FIRST_PAGE,
) -> Page[ValuePublic]:
    return await service.list_values(
        session,
        principal,
        indicator_id,
        area=area,
        period=period,
        fiscal_year=fiscal_year,
        page=page,
    )


@router.get(
    "/periods/{period}/tambons/{tambon}",
    response_model=TambonPeriodPublic,
    summary="Where a tambon's period stands in the chain (public)",
)
async def get_tambon_period(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    tambon: TambonPath,
    session: ReadSession,
    principal: MaybePrincipal,
) -> TambonPeriodPublic:
    return await verification.tambon_period(session, principal, indicator_id, tambon, period)


@router.post(
    "/periods/{period}/tambons/{tambon}/verify",
    response_model=TambonPeriodPublic,
    summary="Verify a tambon's period (a tambon user; nothing may wait for review)",
    responses=problems(UpdatesPending, PeriodLocked),
)
async def verify_tambon(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    tambon: TambonPath,
    session: Session,
    principal: CurrentPrincipal,
) -> TambonPeriodPublic:
    return await verification.verify_tambon(session, principal, indicator_id, tambon, period)


@router.post(
    "/periods/{period}/tambons/{tambon}/return",
    response_model=TambonPeriodPublic,
    summary="Send a verified tambon period back, with a reason (its province, until it certifies)",
    responses=problems(WrongStatus, PeriodLocked),
)
async def send_back_tambon(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    tambon: TambonPath,
    body: Reason,
    session: Session,
    principal: CurrentPrincipal,
) -> TambonPeriodPublic:
    return await verification.send_back_tambon(session, principal, indicator_id, tambon, period, body.reason)


@router.get(
    "/periods/{period}/provinces/{province}",
    response_model=ProvincePeriodPublic,
    summary="Where a province's period stands, with the tambons still to verify (public)",
)
async def get_province_period(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    province: ProvincePath,
    session: ReadSession,
    principal: MaybePrincipal,
) -> ProvincePeriodPublic:
    return await verification.province_period(session, principal, indicator_id, province, period)


@router.post(
    "/periods/{period}/provinces/{province}/certify",
    response_model=ProvincePeriodPublic,
    summary="Certify a province's period once every tambon with data verified it (locks the period)",
    responses=problems(TambonsUnverified),
)
async def certify(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    province: ProvincePath,
    session: Session,
    principal: CurrentPrincipal,
) -> ProvincePeriodPublic:
    return await verification.certify(session, principal, indicator_id, province, period)


@router.post(
    "/periods/{period}/provinces/{province}/reopen",
    response_model=ProvincePeriodPublic,
    summary="Reopen a certified province period, with a reason (a national user; that province only)",
    responses=problems(WrongStatus),
)
async def reopen(
    indicator_id: uuid.UUID,
    period: PeriodPath,
    province: ProvincePath,
    body: Reason,
    session: Session,
    principal: CurrentPrincipal,
) -> ProvincePeriodPublic:
    return await verification.reopen(session, principal, indicator_id, province, period, body.reason)
