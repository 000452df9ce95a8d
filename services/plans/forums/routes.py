from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging, PagingInOrder
from services.common.routing import api_router
from services.common.types import AreaCode, Day
from services.plans.forums import service
from services.plans.forums.models import ActionStatus
from services.plans.forums.schemas import (
    ActionCreate,
    ActionPublic,
    ActionUpdate,
    ForumCreate,
    ForumPublic,
    ForumUpdate,
    ResolutionCreate,
    ResolutionPublic,
)

router = api_router(prefix="/v1/forums", tags=["forums"])
# a resolution's follow-ups, across forums (their own prefix: `/v1/forums/{forum_id}` would shadow them)
actions_router = api_router(prefix="/v1/forum-actions", tags=["forums"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ForumPublic, summary="Record a forum")
async def create_forum(
    body: ForumCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    forum = await service.create(session, principal, body)
    response = resource_response(request, forum, forum.version, status_code=201)
    response.headers["Location"] = f"/v1/forums/{forum.id}"
    return response


@router.get("", response_model=Page[ForumPublic], summary="List forums (public)")
async def list_forums(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only forums held inside this area"),
    held_from: Day | None = Query(None, description="Held on or after this day"),
    held_to: Day | None = Query(None, description="Held on or before this day"),
    page: Paging = FIRST_PAGE,
) -> Page[ForumPublic]:
    return await service.list_forums(
        session,
        principal,
        area=area,
        held_from=held_from,
        held_to=held_to,
        page=page,
    )


@actions_router.get(
    "", response_model=Page[ActionPublic], summary="Follow-up actions; `overdue=true` for late ones"
)
async def list_actions(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only actions of forums inside this area"),
    action_status: ActionStatus | None = Query(
        None, alias="status", description="Only actions in this status"
    ),
    overdue: bool = Query(False, description="Only open actions past their due day"),
    page: PagingInOrder = FIRST_PAGE,
) -> Page[ActionPublic]:
    return await service.list_actions(
        session, principal, area=area, status=action_status, overdue=overdue, page=page
    )


@actions_router.get(
    "/{action_id}",
    response_model=ActionPublic,
    summary="One action (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_action(
    action_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    action = await service.get_action(session, principal, action_id)
    return resource_response(request, action, action.version)


@actions_router.patch(
    "/{action_id}",
    response_model=ActionPublic,
    summary="Mark an action done or dropped, or move its day (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_action(
    action_id: uuid.UUID, body: ActionUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    action = await service.update_action(session, principal, action_id, body, expected_version(request))
    return resource_response(request, action, action.version)


@router.get(
    "/{forum_id}",
    response_model=ForumPublic,
    summary="One forum (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_forum(
    forum_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    forum = await service.get(session, principal, forum_id)
    return resource_response(request, forum, forum.version)


@router.patch(
    "/{forum_id}",
    response_model=ForumPublic,
    summary="Revise a forum (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_forum(
    forum_id: uuid.UUID, body: ForumUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    forum = await service.update(session, principal, forum_id, body, expected_version(request))
    return resource_response(request, forum, forum.version)


@router.post(
    "/{forum_id}/resolutions",
    status_code=status.HTTP_201_CREATED,
    response_model=ResolutionPublic,
    summary="Record a resolution the forum adopted",
    responses=problems(errors.NotFound),
)
async def adopt(
    forum_id: uuid.UUID, body: ResolutionCreate, session: Session, principal: CurrentPrincipal
) -> ResolutionPublic:
    return await service.adopt(session, principal, forum_id, body)


@router.get(
    "/{forum_id}/resolutions", response_model=Page[ResolutionPublic], summary="A forum's resolutions (public)"
)
async def resolutions(
    forum_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    page: PagingInOrder = FIRST_PAGE,
) -> Page[ResolutionPublic]:
    return await service.resolutions(session, principal, forum_id, page=page)


@router.post(
    "/{forum_id}/resolutions/{resolution_id}/actions",
    status_code=status.HTTP_201_CREATED,
    response_model=ActionPublic,
    summary="Set a follow-up action of a resolution (a partner, by a day)",
)
async def add_action(
    forum_id: uuid.UUID,
    resolution_id: uuid.UUID,
    body: ActionCreate,
    session: Session,
    principal: CurrentPrincipal,
) -> ActionPublic:
    return await service.add_action(session, principal, forum_id, resolution_id, body)
