from __future__ import annotations

from fastapi import APIRouter, Query, status

from services.assessment.teams import service
from services.assessment.teams.models import TeamKind
from services.assessment.teams.schemas import TeamCreate, TeamPublic
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from services.common.types import AreaCode

router = APIRouter(prefix="/v1/teams", tags=["teams"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=TeamPublic, summary="Form a support team"
)
async def create_team(body: TeamCreate, session: Session, principal: CurrentPrincipal) -> TeamPublic:
    team = await service.create(session, principal, body)
    return TeamPublic.model_validate(team)


@router.get("", response_model=Page[TeamPublic], summary="List support teams (public)")
async def list_teams(
    session: Session,
    area: AreaCode | None = Query(None, description="Only teams inside this area"),
    kind: TeamKind | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TeamPublic]:
    rows, next_cursor = await service.list_teams(session, area=area, kind=kind, cursor=cursor, limit=limit)
    return Page(items=[TeamPublic.model_validate(t) for t in rows], next_cursor=next_cursor)
