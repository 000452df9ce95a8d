from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.assessment.teams import service
from services.assessment.teams.models import TeamKind
from services.assessment.teams.schemas import (
    AssignmentPublic,
    Assignments,
    MemberPublic,
    Members,
    MemberSet,
    TeamCreate,
    TeamPublic,
    TeamUpdate,
)
from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.people import PeopleInOrOver
from services.common.routing import api_router
from services.common.types import AreaCode, AreaPath

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
    page: Paging = FIRST_PAGE,
) -> Page[TeamPublic]:
    return await service.list_teams(session, principal, area=area, kind=kind, page=page)


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


@router.put(
    "/{team_id}/members/{user_id}",
    response_model=MemberPublic,
    summary="Put a person (an account's id) on a team in a role, or change the role (201 when new)",
    responses={201: {"model": MemberPublic, "description": "They were not on the team before"}},
)
async def set_member(
    team_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberSet,
    session: Session,
    principal: CurrentPrincipal,
    people: PeopleInOrOver,
) -> Response:
    member, new = await service.set_member(session, principal, team_id, user_id, body, people)
    return Response(member.model_dump_json(), status_code=201 if new else 200, media_type="application/json")


@router.delete(
    "/{team_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a person off a team",
    responses=problems(errors.NotFound),
)
async def remove_member(
    team_id: uuid.UUID, user_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> Response:
    await service.remove_member(session, principal, team_id, user_id)
    return Response(status_code=204)


@router.get("/{team_id}/members", response_model=Members, summary="Who is on a team (its area's staff)")
async def members(team_id: uuid.UUID, session: ReadSession, principal: CurrentPrincipal) -> Members:
    return await service.members(session, principal, team_id)


@router.put(
    "/{team_id}/assignments/{area_code}",
    response_model=AssignmentPublic,
    summary="Assign a team to an area inside its own (201 when new)",
    responses={201: {"model": AssignmentPublic, "description": "The team was not assigned there before"}},
)
async def assign(
    team_id: uuid.UUID, area_code: AreaPath, session: Session, principal: CurrentPrincipal
) -> Response:
    assignment, new = await service.assign(session, principal, team_id, area_code)
    body = assignment.model_dump_json()
    return Response(body, status_code=201 if new else 200, media_type="application/json")


@router.delete(
    "/{team_id}/assignments/{area_code}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Call a team back from an area",
    responses=problems(errors.NotFound),
)
async def unassign(
    team_id: uuid.UUID, area_code: AreaPath, session: Session, principal: CurrentPrincipal
) -> Response:
    await service.unassign(session, principal, team_id, area_code)
    return Response(status_code=204)


@router.get("/{team_id}/assignments", response_model=Assignments, summary="Where a team works (public)")
async def assignments(team_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal) -> Assignments:
    return await service.assignments(session, principal, team_id)
