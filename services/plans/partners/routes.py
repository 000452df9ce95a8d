from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode
from services.plans.partners import service
from services.plans.partners.models import Sector
from services.plans.partners.schemas import PartnerCreate, PartnerPublic, PartnerUpdate

router = api_router(prefix="/v1/partners", tags=["partners"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=PartnerPublic, summary="Record a partner"
)
async def create_partner(
    body: PartnerCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    partner = await service.create(session, principal, body)
    response = resource_response(request, partner, partner.version, status_code=201)
    response.headers["Location"] = f"/v1/partners/{partner.id}"
    return response


@router.get("", response_model=Page[PartnerPublic], summary="List partners (public)")
async def list_partners(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only partners working inside this area"),
    sector: Sector | None = Query(None, description="Only partners of this sector"),
    page: Paging = FIRST_PAGE,
) -> Page[PartnerPublic]:
    return await service.list_partners(session, principal, area=area, sector=sector, page=page)


@router.get(
    "/{partner_id}",
    response_model=PartnerPublic,
    summary="One partner (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_partner(
    partner_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    partner = await service.get(session, principal, partner_id)
    return resource_response(request, partner, partner.version)


@router.patch(
    "/{partner_id}",
    response_model=PartnerPublic,
    summary="Revise a partner (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_partner(
    partner_id: uuid.UUID,
    body: PartnerUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    partner = await service.update(session, principal, partner_id, body, expected_version(request))
    return resource_response(request, partner, partner.version)
