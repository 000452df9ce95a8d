from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.assessment.frameworks import service
from services.assessment.frameworks.schemas import FrameworkCreate, FrameworkEdit, FrameworkPublic
from services.assessment.problems import BuiltinFramework, FrameworkSuperseded
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode

router = api_router(prefix="/v1/frameworks", tags=["frameworks"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=FrameworkPublic,
    summary="Write an assessment framework (a rubric)",
)
async def create_framework(
    body: FrameworkCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    framework = await service.create(session, principal, body)
    response = resource_response(request, framework, framework.version, status_code=201)
    response.headers["Location"] = f"/v1/frameworks/{framework.id}"
    return response


@router.get(
    "", response_model=Page[FrameworkPublic], summary="List frameworks, the built-ins among them (public)"
)
async def list_frameworks(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(
        None, description="Only frameworks of areas inside this one (built-ins: TH)"
    ),
    key: str | None = Query(
        None, max_length=64, pattern=r"^[a-z0-9-]+$", description="A built-in's name, e.g. codi-10-factors"
    ),
    every_version: bool = Query(False, description="Older versions too (by default the newest only)"),
    page: Paging = FIRST_PAGE,
) -> Page[FrameworkPublic]:
    return await service.list_frameworks(
        session,
        principal,
        area=area,
        key=key,
        every_version=every_version,
        page=page,
    )


@router.get(
    "/{framework_id}",
    response_model=FrameworkPublic,
    summary="One framework version (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_framework(
    framework_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    framework = await service.get(session, principal, framework_id)
    return resource_response(request, framework, framework.version)


@router.get(
    "/{framework_id}/versions",
    response_model=list[FrameworkPublic],
    summary="Every version of a framework, oldest first (public)",
)
async def versions(
    framework_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal
) -> list[FrameworkPublic]:
    return await service.versions(session, principal, framework_id)


@router.patch(
    "/{framework_id}",
    response_model=FrameworkPublic,
    summary="Edit a framework (If-Match): in place, or as its next version once a round has used it (201)",
    openapi_extra=CONDITIONAL_EDIT,
    responses={
        201: {"model": FrameworkPublic, "description": "A round used this version: the edit is the next one"},
        **problems(BuiltinFramework, FrameworkSuperseded),
    },
)
async def edit_framework(
    framework_id: uuid.UUID,
    body: FrameworkEdit,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    framework, new = await service.edit(session, principal, framework_id, body, expected_version(request))
    response = resource_response(request, framework, framework.version, status_code=201 if new else 200)
    if new:
        response.headers["Location"] = f"/v1/frameworks/{framework.id}"
    return response
