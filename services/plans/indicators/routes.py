from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging, PagingInOrder
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans import flows
from services.plans.indicators import service
from services.plans.indicators.models import AttachedKind
from services.plans.indicators.schemas import (
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    TargetPublic,
    TargetsSet,
)
from services.plans.problems import PeriodLocked

router = api_router(prefix="/v1/indicators", tags=["indicators"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=IndicatorPublic,
    summary="Define an indicator (measured per tambon, rolled up by its rules)",
)
async def create_indicator(
    body: IndicatorCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    indicator = await service.create(session, principal, body)
    response = resource_response(request, indicator, indicator.version, status_code=201)
    response.headers["Location"] = f"/v1/indicators/{indicator.id}"
    return response


@router.get("", response_model=Page[IndicatorPublic], summary="List indicators (public)")
async def list_indicators(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only indicators of areas inside this one"),
    attached_kind: AttachedKind | None = Query(None, description="Only those attached to this kind"),
    attached_id: uuid.UUID | None = Query(
        None, description="Only those attached to this plan, project or activity"
    ),
    page: Paging = FIRST_PAGE,
) -> Page[IndicatorPublic]:
    return await service.list_indicators(
        session,
        principal,
        area=area,
        attached_kind=attached_kind,
        attached_id=attached_id,
        page=page,
    )


@router.get(
    "/{indicator_id}",
    response_model=IndicatorPublic,
    summary="One indicator (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_indicator(
    indicator_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    indicator = await service.get(session, principal, indicator_id)
    return resource_response(request, indicator, indicator.version)


@router.patch(
    "/{indicator_id}",
    response_model=IndicatorPublic,
    summary="Revise an indicator's words or baseline (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_indicator(
    indicator_id: uuid.UUID,
    body: IndicatorUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    indicator = await service.update(session, principal, indicator_id, body, expected_version(request))
    return resource_response(request, indicator, indicator.version)


@router.post(
    "/{indicator_id}/targets",
    response_model=list[TargetPublic],
    summary="Set targets by area, period and dimension (setting one again replaces it; not in a certified "
    "province period)",
    responses=problems(PeriodLocked),
)
async def set_targets(
    indicator_id: uuid.UUID, body: TargetsSet, session: Session, principal: CurrentPrincipal
) -> list[TargetPublic]:
    return await flows.set_targets(session, principal, indicator_id, body)


@router.get(
    "/{indicator_id}/targets", response_model=Page[TargetPublic], summary="An indicator's targets (public)"
)
async def list_targets(
    indicator_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    fiscal_year: FiscalYearQuery = None,
    area: AreaCode | None = Query(None, description="Only targets of areas inside this one"),
    page: PagingInOrder = FIRST_PAGE,
) -> Page[TargetPublic]:
    return await service.list_targets(
        session, principal, indicator_id, fiscal_year=fiscal_year, area=area, page=page
    )
