from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request, Response, status

from services.assessment.outcomes import service
from services.assessment.outcomes.models import ActorKind
from services.assessment.outcomes.schemas import OutcomeCreate, OutcomePublic, OutcomeUpdate, Substantiation
from services.assessment.problems import WrongStage
from services.assessment.rounds.evidence import plans_peer
from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.peers import Peer
from services.common.routing import api_router
from services.common.types import STORABLE, AreaCode, SearchText

router = api_router(prefix="/v1/outcomes", tags=["outcomes"])
Plans = Annotated[Peer, Depends(plans_peer)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OutcomePublic,
    summary="Harvest an outcome (a draft of an outcome team)",
    responses=problems(errors.ServiceUnavailable),
)
async def create_outcome(
    body: OutcomeCreate, request: Request, session: Session, principal: CurrentPrincipal, plans: Plans
) -> Response:
    outcome = await service.create(session, principal, plans, body)
    response = resource_response(request, outcome, outcome.version, status_code=201)
    response.headers["Location"] = f"/v1/outcomes/{outcome.id}"
    return response


@router.get("", response_model=Page[OutcomePublic], summary="List outcomes (published ones for everyone)")
async def list_outcomes(
    session: ReadSession,
    principal: MaybePrincipal,
    q: SearchText | None = Query(
        None,
        min_length=1,
        max_length=200,
        description="Words in its title or description",
        json_schema_extra=STORABLE,
    ),
    area: AreaCode | None = Query(None, description="Only outcomes inside this area"),
    actor_kind: ActorKind | None = None,
    page: Paging = FIRST_PAGE,
) -> Page[OutcomePublic]:
    return await service.list_outcomes(
        session,
        principal,
        q=q,
        area=area,
        actor_kind=actor_kind,
        page=page,
    )


@router.get(
    "/{outcome_id}", response_model=OutcomePublic, summary="One outcome", openapi_extra=CONDITIONAL_READ
)
async def get_outcome(
    outcome_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    outcome = await service.get(session, principal, outcome_id)
    return resource_response(request, outcome, outcome.version)


@router.patch(
    "/{outcome_id}",
    response_model=OutcomePublic,
    summary="Edit a draft outcome (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
    responses=problems(WrongStage, errors.ServiceUnavailable),
)
async def update_outcome(
    outcome_id: uuid.UUID,
    body: OutcomeUpdate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    plans: Plans,
) -> Response:
    outcome = await service.update(session, principal, plans, outcome_id, body, expected_version(request))
    return resource_response(request, outcome, outcome.version)


@router.post(
    "/{outcome_id}/substantiation",
    response_model=OutcomePublic,
    summary="Record an independent person's verdict (the team's lead)",
    responses=problems(WrongStage),
)
async def substantiate_outcome(
    outcome_id: uuid.UUID, body: Substantiation, session: Session, principal: CurrentPrincipal
) -> OutcomePublic:
    return await service.substantiate(session, principal, outcome_id, body)


@router.post(
    "/{outcome_id}/publish",
    response_model=OutcomePublic,
    summary="Publish a substantiated outcome (the team's lead)",
    responses=problems(WrongStage),
)
async def publish_outcome(
    outcome_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> OutcomePublic:
    return await service.publish(session, principal, outcome_id)
