from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, Response, status

from gateway.clients import service
from gateway.clients.schemas import ClientCreate, ClientPublic, ClientWithSecret
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ
from services.common.pagination import FIRST_PAGE, Page, PagingInOrder
from services.common.routing import api_router

router = api_router(prefix="/v1/clients", tags=["clients"])
ClientId = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="The client's OAuth client_id (partner-…)")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientWithSecret,
    summary="Register a partner system with area grants you may give; its secret is shown this once",
)
async def create_client(
    body: ClientCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    client = await service.create(session, principal, body)
    response = resource_response(request, client, client.version, status_code=201)
    response.headers["Location"] = f"/v1/clients/{client.client_id}"
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("", response_model=Page[ClientPublic], summary="Partner clients with a grant inside your areas")
async def list_clients(
    session: Session, principal: CurrentPrincipal, page: PagingInOrder = FIRST_PAGE
) -> Page[ClientPublic]:
    return await service.list_clients(session, principal, page=page)


@router.get(
    "/{client_id}",
    response_model=ClientPublic,
    summary="One partner client (ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_client(
    client_id: ClientId, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    client = await service.get(session, principal, client_id)
    return resource_response(request, client, client.version)


@router.post(
    "/{client_id}/secret",
    response_model=ClientWithSecret,
    summary="Rotate the secret: the new one is shown once; the previous one works until the overlap ends",
)
async def rotate_secret(
    client_id: ClientId, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    client = await service.rotate(session, principal, request.app.state.settings, client_id)
    response = resource_response(request, client, client.version)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(
    "/{client_id}/disable", response_model=ClientPublic, summary="Disable a partner client: no new tokens"
)
async def disable(
    client_id: ClientId, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    client = await service.set_active(session, principal, client_id, active=False)
    return resource_response(request, client, client.version)


@router.post("/{client_id}/enable", response_model=ClientPublic, summary="Enable a partner client again")
async def enable(
    client_id: ClientId, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    client = await service.set_active(session, principal, client_id, active=True)
    return resource_response(request, client, client.version)
