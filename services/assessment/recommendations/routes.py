from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.assessment.problems import WrongStage
from services.assessment.recommendations import service
from services.assessment.recommendations.models import RecommendationStatus, TargetLevel
from services.assessment.recommendations.schemas import (
    RecommendationCreate,
    RecommendationPublic,
    StatusChange,
)
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode

router = api_router(prefix="/v1/recommendations", tags=["recommendations"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RecommendationPublic,
    summary="Propose a recommendation",
)
async def create_recommendation(
    body: RecommendationCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    row = await service.create(session, principal, body)
    response = resource_response(request, row, row.version, status_code=201)
    response.headers["Location"] = f"/v1/recommendations/{row.id}"
    return response


@router.get("", response_model=Page[RecommendationPublic], summary="List policy recommendations (public)")
async def list_recommendations(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only recommendations of areas inside this one"),
    status: RecommendationStatus | None = None,
    target_level: TargetLevel | None = None,
    page: Paging = FIRST_PAGE,
) -> Page[RecommendationPublic]:
    return await service.list_recommendations(
        session,
        principal,
        area=area,
        status=status,
        target_level=target_level,
        page=page,
    )


@router.get(
    "/{recommendation_id}",
    response_model=RecommendationPublic,
    summary="One recommendation and its history (public)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_recommendation(
    recommendation_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    row = await service.get(session, principal, recommendation_id)
    return resource_response(request, row, row.version)


@router.post(
    "/{recommendation_id}/status",
    response_model=RecommendationPublic,
    summary="Move a recommendation on: submitted, accepted, implemented or rejected, dated with a note",
    responses=problems(WrongStage),
)
async def move_recommendation(
    recommendation_id: uuid.UUID, body: StatusChange, session: Session, principal: CurrentPrincipal
) -> RecommendationPublic:
    return await service.move(session, principal, recommendation_id, body)
