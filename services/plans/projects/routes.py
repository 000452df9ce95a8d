from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.problems import ProjectExists
from services.plans.projects import service
from services.plans.projects.schemas import (
    ActivityCreate,
    ActivityPublic,
    ActivityUpdate,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)

router = api_router(prefix="/v1/projects", tags=["projects"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectPublic,
    summary="Open the province's project of a fiscal year (one province, one project)",
    responses=problems(ProjectExists),
)
async def create_project(
    body: ProjectCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    project = await service.create(session, principal, body)
    response = resource_response(request, project, project.version, status_code=201)
    response.headers["Location"] = f"/v1/projects/{project.id}"
    return response


@router.get("", response_model=Page[ProjectPublic], summary="List provinces' projects (public)")
async def list_projects(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only projects of provinces inside this area"),
    fiscal_year: FiscalYearQuery = None,
    page: Paging = FIRST_PAGE,
) -> Page[ProjectPublic]:
    return await service.list_projects(
        session,
        principal,
        area=area,
        fiscal_year=fiscal_year,
        page=page,
    )


@router.get(
    "/{project_id}",
    response_model=ProjectPublic,
    summary="One project (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_project(
    project_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    project = await service.get(session, principal, project_id)
    return resource_response(request, project, project.version)


@router.patch(
    "/{project_id}",
    response_model=ProjectPublic,
    summary="Revise a project (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_project(
    project_id: uuid.UUID,
    body: ProjectUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    project = await service.update(session, principal, project_id, body, expected_version(request))
    return resource_response(request, project, project.version)


@router.post(
    "/{project_id}/activities",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivityPublic,
    summary="Add an activity to a project (its progress follows)",
)
async def add_activity(
    project_id: uuid.UUID,
    body: ActivityCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    activity = await service.add_activity(session, principal, project_id, body)
    response = resource_response(request, activity, activity.version, status_code=201)
    response.headers["Location"] = f"/v1/projects/{project_id}/activities/{activity.id}"
    return response


@router.get(
    "/{project_id}/activities", response_model=Page[ActivityPublic], summary="A project's activities (public)"
)
async def list_activities(
    project_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    page: Paging = FIRST_PAGE,
) -> Page[ActivityPublic]:
    return await service.list_activities(session, principal, project_id, page=page)


@router.get(
    "/{project_id}/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="One activity (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_activity(
    project_id: uuid.UUID,
    activity_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    activity = await service.get_activity(session, principal, project_id, activity_id)
    return resource_response(request, activity, activity.version)


@router.patch(
    "/{project_id}/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="Revise an activity: its progress, weight or budget (If-Match; the project's progress follows)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_activity(
    project_id: uuid.UUID,
    activity_id: uuid.UUID,
    body: ActivityUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    activity = await service.update_activity(
        session, principal, project_id, activity_id, body, expected_version(request)
    )
    return resource_response(request, activity, activity.version)


@router.post(
    "/{project_id}/milestones",
    status_code=status.HTTP_201_CREATED,
    response_model=MilestonePublic,
    summary="Set a milestone of a project",
)
async def add_milestone(
    project_id: uuid.UUID,
    body: MilestoneCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    milestone = await service.add_milestone(session, principal, project_id, body)
    response = resource_response(request, milestone, milestone.version, status_code=201)
    response.headers["Location"] = f"/v1/projects/{project_id}/milestones/{milestone.id}"
    return response


@router.get(
    "/{project_id}/milestones",
    response_model=Page[MilestonePublic],
    summary="Its milestones (public)",
)
async def list_milestones(
    project_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    page: Paging = FIRST_PAGE,
) -> Page[MilestonePublic]:
    return await service.list_milestones(session, principal, project_id, page=page)


@router.get(
    "/{project_id}/milestones/{milestone_id}",
    response_model=MilestonePublic,
    summary="One milestone (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_milestone(
    project_id: uuid.UUID,
    milestone_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    milestone = await service.get_milestone(session, principal, project_id, milestone_id)
    return resource_response(request, milestone, milestone.version)


@router.patch(
    "/{project_id}/milestones/{milestone_id}",
    response_model=MilestonePublic,
    summary="Move a milestone or mark it reached (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_milestone(
    project_id: uuid.UUID,
    milestone_id: uuid.UUID,
    body: MilestoneUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    version = expected_version(request)
    milestone = await service.update_milestone(session, principal, project_id, milestone_id, body, version)
    return resource_response(request, milestone, milestone.version)
