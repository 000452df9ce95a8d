from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.assessment.teams import service
from services.assessment.teams.models import TeamKind
from services.assessment.teams.schemas import TeamCreate, TeamPublic, TeamUpdate
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, UpdatedSince
from services.common.routing import api_router
from services.common.types import AreaCode

router = api_router(prefix="/v1/teams", tags=["teams"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=TeamPublic, summary="Form a support team"
)
async def create_team(
    body: TeamCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    team = await service.create(session, principal, body)
    response = resource_response(request, team, team.version, status_code=201)
    response.headers["Location"] = f"/v1/teams/{team.id}"
    return response


@router.get("", response_model=Page[TeamPublic], summary="List support teams (public)")
async def list_teams(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only teams inside this area"),
    kind: TeamKind | None = None,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TeamPublic]:
    return await service.list_teams(
        session, principal, area=area, kind=kind, updated_since=updated_since, cursor=cursor, limit=limit
    )


@router.get(
    "/{team_id}",
    response_model=TeamPublic,
    summary="One support team (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_team(
    team_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    team = await service.get(session, principal, team_id)
    return resource_response(request, team, team.version)


@router.patch(
    "/{team_id}",
    response_model=TeamPublic,
    summary="Rename a support team (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_team(
    team_id: uuid.UUID, body: TeamUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    team = await service.update(session, principal, team_id, body, expected_version(request))
    return resource_response(request, team, team.version)
