from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode
from services.plans.agreements import service
from services.plans.agreements.schemas import (
    AgreementAmend,
    AgreementCreate,
    AgreementPublic,
    AmendmentPublic,
    SignatoryCreate,
)
from services.plans.problems import AgreementExists, AlreadySigned

router = api_router(prefix="/v1/agreements", tags=["agreements"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementPublic,
    summary="Record a project's one cooperation agreement",
    responses=problems(AgreementExists),
)
async def create_agreement(
    body: AgreementCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    agreement = await service.create(session, principal, body)
    response = resource_response(request, agreement, agreement.version, status_code=201)
    response.headers["Location"] = f"/v1/agreements/{agreement.id}"
    return response


@router.get(
    "", response_model=Page[AgreementPublic], summary="List agreements with their signatories (public)"
)
async def list_agreements(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only agreements of provinces inside this area"),
    project_id: uuid.UUID | None = Query(None, description="Only this project's agreement"),
    page: Paging = FIRST_PAGE,
) -> Page[AgreementPublic]:
    return await service.list_agreements(
        session,
        principal,
        area=area,
        project_id=project_id,
        page=page,
    )


@router.get(
    "/{agreement_id}",
    response_model=AgreementPublic,
    summary="One agreement with its signatories (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_agreement(
    agreement_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    agreement = await service.get(session, principal, agreement_id)
    return resource_response(request, agreement, agreement.version)


@router.patch(
    "/{agreement_id}",
    response_model=AgreementPublic,
    summary="Amend an agreement, with a reason (kept as an amendment; If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def amend_agreement(
    agreement_id: uuid.UUID,
    body: AgreementAmend,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    agreement = await service.amend(session, principal, agreement_id, body, expected_version(request))
    return resource_response(request, agreement, agreement.version)


@router.post(
    "/{agreement_id}/signatories",
    response_model=AgreementPublic,
    summary="A partner signs the agreement, in its role",
    responses=problems(AlreadySigned),
)
async def add_signatory(
    agreement_id: uuid.UUID, body: SignatoryCreate, session: Session, principal: CurrentPrincipal
) -> AgreementPublic:
    return await service.add_signatory(session, principal, agreement_id, body)


@router.get(
    "/{agreement_id}/amendments",
    response_model=list[AmendmentPublic],
    summary="An agreement's amendments, in order (public)",
)
async def list_amendments(
    agreement_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal
) -> list[AmendmentPublic]:
    return await service.list_amendments(session, principal, agreement_id)
