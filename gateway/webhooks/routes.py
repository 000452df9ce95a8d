from __future__ import annotations

import uuid

from fastapi import Request, Response, status

from gateway.webhooks import service
from gateway.webhooks.catalogue import current_catalogue
from gateway.webhooks.models import MessageStatus
from gateway.webhooks.schemas import (
    EndpointCreate,
    EndpointCreated,
    EndpointPublic,
    EndpointUpdate,
    EventTypePublic,
    MessagePublic,
    ReplayQueued,
    ReplayRequest,
    SecretRotated,
    TestQueued,
)
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ
from services.common.pagination import FIRST_PAGE, Page, PagingInOrder
from services.common.routing import api_router
from services.common.settings import Settings

router = api_router(prefix="/v1/webhooks", tags=["webhooks"])

ENDPOINTS = "/endpoints"
ONE = "/endpoints/{endpoint_id}"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get(
    "/event-types",
    response_model=list[EventTypePublic],
    summary="Every event type, with the JSON Schema of its data (public)",
    description="The same catalogue as the `webhooks` section of this OpenAPI document. A breaking change to "
    "a payload is a new `schema_version`, delivered beside the old one for the announced deprecation period.",
)
async def event_types(request: Request, response: Response) -> list[EventTypePublic]:
    catalogue = await current_catalogue(request.app)
    if catalogue.unseen:  # their types are missing from the list until they answer
        response.headers["Khabuan-Unseen-Services"] = ", ".join(catalogue.unseen)
    return catalogue.event_types


@router.post(
    ENDPOINTS,
    status_code=status.HTTP_201_CREATED,
    response_model=EndpointCreated,
    summary="Subscribe a URL to events",
    description="For national, regional and provincial users and partner systems; an endpoint receives only "
    "events inside its owner's areas. The answer holds the signing secret, shown only this once. Messages "
    "follow Standard Webhooks: verify `webhook-signature` over `webhook-id.webhook-timestamp.body` "
    "and de-duplicate by `webhook-id`.",
)
async def create_endpoint(
    body: EndpointCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    catalogue = await current_catalogue(request.app)
    endpoint, secret = await service.create(
        session, principal, _settings(request), body.url, body.event_types, body.description, catalogue
    )
    created = EndpointCreated.model_validate(
        {**EndpointPublic.model_validate(endpoint).model_dump(), "secret": secret}
    )
    response = resource_response(request, created, endpoint.version, status_code=201)
    response.headers["Location"] = f"/v1/webhooks/endpoints/{endpoint.id}"
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(ENDPOINTS, response_model=Page[EndpointPublic], summary="Your webhook endpoints")
async def list_endpoints(
    session: Session, principal: CurrentPrincipal, page: PagingInOrder = FIRST_PAGE
) -> Page[EndpointPublic]:
    endpoints, next_cursor = await service.list_owned(session, principal, page=page)
    return Page(items=[EndpointPublic.model_validate(e) for e in endpoints], next_cursor=next_cursor)


@router.get(
    ONE,
    response_model=EndpointPublic,
    summary="One of your webhook endpoints",
    openapi_extra=CONDITIONAL_READ,
)
async def get_endpoint(
    endpoint_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    endpoint = await service.get_owned(session, principal, endpoint_id)
    return resource_response(request, EndpointPublic.model_validate(endpoint), endpoint.version)


@router.patch(
    ONE,
    response_model=EndpointPublic,
    summary="Change the URL, event types or description; disable or re-enable",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_endpoint(
    endpoint_id: uuid.UUID,
    body: EndpointUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    endpoint = await service.update(
        session,
        principal,
        _settings(request),
        endpoint_id,
        body.model_dump(exclude_unset=True),
        expected_version(request),
        await current_catalogue(request.app) if body.event_types is not None else None,
    )
    return resource_response(request, EndpointPublic.model_validate(endpoint), endpoint.version)


@router.delete(ONE, status_code=status.HTTP_204_NO_CONTENT, summary="Unsubscribe (its delivery log goes too)")
async def delete_endpoint(endpoint_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> Response:
    await service.delete(session, principal, endpoint_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    f"{ONE}/rotate-secret",
    response_model=SecretRotated,
    summary="New signing secret; the old one keeps signing beside it for 24 hours",
    description="Until `previous_secret_expires_at` every message carries two signatures in "
    "`webhook-signature` (space-separated), so receivers can switch secrets without losing a message.",
)
async def rotate_secret(
    endpoint_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    secret, expires_at = await service.rotate_secret(session, principal, _settings(request), endpoint_id)
    rotated = SecretRotated(secret=secret, previous_secret_expires_at=expires_at)
    return Response(
        rotated.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-store"}
    )


@router.post(
    f"{ONE}/test",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=TestQueued,
    summary="Send webhook.endpoint.tested to this endpoint",
)
async def test_endpoint(endpoint_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> TestQueued:
    return TestQueued(event_id=await service.send_test(session, principal, endpoint_id))


@router.get(
    f"{ONE}/deliveries",
    response_model=Page[MessagePublic],
    summary="The delivery log: each message, its attempts and last response (kept 90 days)",
)
async def list_deliveries(
    endpoint_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    status: MessageStatus | None = None,
    page: PagingInOrder = FIRST_PAGE,
) -> Page[MessagePublic]:
    messages, next_cursor = await service.list_messages(
        session, principal, endpoint_id, status=status, page=page
    )
    return Page(items=[MessagePublic.model_validate(m) for m in messages], next_cursor=next_cursor)


@router.post(
    f"{ONE}/deliveries/{{delivery_id}}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MessagePublic,
    summary="Send one message again, with its original webhook-id",
)
async def redeliver(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> MessagePublic:
    message = await service.redeliver(session, principal, endpoint_id, delivery_id)
    return MessagePublic.model_validate(message)


@router.post(
    f"{ONE}/replay",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReplayQueued,
    summary="Re-send every matching event since a time (for receivers that lost data)",
    description="Queues every event of the last 90 days with `since ≤ occurred_at < until` that this "
    "endpoint would have received (its current event types and its owner's current areas), in "
    "per-aggregate order. Each message carries **the original `webhook-id`**: a receiver that "
    "de-duplicates by it skips what it already has and stores what it lost.",
)
async def replay(
    endpoint_id: uuid.UUID, body: ReplayRequest, session: Session, principal: CurrentPrincipal
) -> ReplayQueued:
    queued, until = await service.replay(session, principal, endpoint_id, body.since, body.until)
    return ReplayQueued(queued=queued, since=body.since, until=until)
