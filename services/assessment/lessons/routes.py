from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.assessment.lessons import service
from services.assessment.lessons.schemas import LessonCreate, LessonPublic, LessonUpdate
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import STORABLE, AreaCode, FiscalYearQuery, SearchText

router = api_router(prefix="/v1/lessons", tags=["lessons"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LessonPublic, summary="Draft a lesson")
async def create_lesson(
    body: LessonCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    lesson = await service.create(session, principal, body)
    response = resource_response(request, lesson, lesson.version, status_code=201)
    response.headers["Location"] = f"/v1/lessons/{lesson.id}"
    return response


@router.get("", response_model=Page[LessonPublic], summary="Find lessons (published ones for everyone)")
async def list_lessons(
    session: ReadSession,
    principal: MaybePrincipal,
    q: SearchText | None = Query(
        None,
        min_length=1,
        max_length=200,
        description="Thai or English words; a part is enough (ธนาคารปู)",
        json_schema_extra=STORABLE,
    ),
    area: AreaCode | None = Query(
        None, description="Only lessons inside this area: a CODI region (south), a province (92), a tambon"
    ),
    theme: str | None = Query(None, min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9-]*$"),
    fiscal_year: FiscalYearQuery = None,
    page: Paging = FIRST_PAGE,
) -> Page[LessonPublic]:
    return await service.list_lessons(
        session,
        principal,
        q=q,
        area=area,
        theme=theme,
        fiscal_year=fiscal_year,
        page=page,
    )


@router.get(
    "/{lesson_id}",
    response_model=LessonPublic,
    summary="One lesson (public once published)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_lesson(
    lesson_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    lesson = await service.get(session, principal, lesson_id)
    return resource_response(request, lesson, lesson.version)


@router.patch(
    "/{lesson_id}",
    response_model=LessonPublic,
    summary="Edit a lesson (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_lesson(
    lesson_id: uuid.UUID, body: LessonUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    lesson = await service.update(session, principal, lesson_id, body, expected_version(request))
    return resource_response(request, lesson, lesson.version)


@router.post(
    "/{lesson_id}/publish", response_model=LessonPublic, summary="Publish a lesson (the team's lead)"
)
async def publish_lesson(lesson_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> LessonPublic:
    return await service.publish(session, principal, lesson_id)
