from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, UpdatedSince
from services.common.routing import api_router
from services.common.types import AreaCode
from services.plans.strategies import service
from services.plans.strategies.schemas import StrategyCreate, StrategyPublic, StrategyUpdate

router = api_router(prefix="/v1/strategies", tags=["strategies"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StrategyPublic,
    summary="Record a people's strategy",
)
async def create_strategy(
    body: StrategyCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    strategy = await service.create(session, principal, body)
    response = resource_response(request, strategy, strategy.version, status_code=201)
    response.headers["Location"] = f"/v1/strategies/{strategy.id}"
    return response


@router.get("", response_model=Page[StrategyPublic], summary="List people's strategies (public)")
async def list_strategies(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only strategies of provinces inside this area"),
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StrategyPublic]:
    return await service.list_strategies(
        session, principal, area=area, updated_since=updated_since, cursor=cursor, limit=limit
    )


@router.get(
    "/{strategy_id}",
    response_model=StrategyPublic,
    summary="One strategy (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_strategy(
    strategy_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    strategy = await service.get(session, principal, strategy_id)
    return resource_response(request, strategy, strategy.version)


@router.patch(
    "/{strategy_id}",
    response_model=StrategyPublic,
    summary="Revise a strategy (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_strategy(
    strategy_id: uuid.UUID,
    body: StrategyUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    strategy = await service.update(session, principal, strategy_id, body, expected_version(request))
    return resource_response(request, strategy, strategy.version)
