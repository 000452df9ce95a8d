from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.agendas import service
from services.plans.agendas.models import Theme
from services.plans.agendas.schemas import AgendaCreate, AgendaPublic, AgendaUpdate

router = api_router(prefix="/v1/agendas", tags=["agendas"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AgendaPublic,
    summary="Put an item on a province's shared agenda",
    responses=problems(errors.Conflict),
)
async def create_agenda(
    body: AgendaCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    agenda = await service.create(session, principal, body)
    response = resource_response(request, agenda, agenda.version, status_code=201)
    response.headers["Location"] = f"/v1/agendas/{agenda.id}"
    return response


@router.get("", response_model=Page[AgendaPublic], summary="List shared agenda items (public)")
async def list_agendas(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only items of provinces inside this area"),
    theme: Theme | None = Query(None, description="Only items of this theme"),
    fiscal_year: FiscalYearQuery = None,
    plan_id: uuid.UUID | None = Query(None, description="Only items this plan serves"),
    project_id: uuid.UUID | None = Query(None, description="Only items this project serves"),
    page: Paging = FIRST_PAGE,
) -> Page[AgendaPublic]:
    """`fiscal_year`: the items on that year's annual agenda."""
    return await service.list_agendas(
        session,
        principal,
        area=area,
        theme=theme,
        fiscal_year=fiscal_year,
        plan_id=plan_id,
        project_id=project_id,
        page=page,
    )


@router.get(
    "/{agenda_id}",
    response_model=AgendaPublic,
    summary="One shared agenda item (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_agenda(
    agenda_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    agenda = await service.get(session, principal, agenda_id)
    return resource_response(request, agenda, agenda.version)


@router.patch(
    "/{agenda_id}",
    response_model=AgendaPublic,
    summary="Revise a shared agenda item (If-Match)",
    responses=problems(errors.NotFound, errors.Conflict),
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_agenda(
    agenda_id: uuid.UUID,
    body: AgendaUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    agenda = await service.update(session, principal, agenda_id, body, expected_version(request))
    return resource_response(request, agenda, agenda.version)
