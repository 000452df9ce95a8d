from __future__ import annotations

import uuid

from fastapi import Request, Response, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, PagingInOrder
from services.common.routing import api_router
from services.funds.contributions import service
from services.funds.contributions.models import SourceKind
from services.funds.contributions.schemas import ContributionCreate, ContributionPublic
from services.funds.problems import BalanceOutOfRange

router = api_router(prefix="/v1/funds/{fund_id}/contributions", tags=["funds"])
IMMUTABLE = 1  # a contribution never changes (a mistake is reversed): its ETag's version is always 1


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ContributionPublic,
    summary="Record a contribution (one balanced ledger transfer; Idempotency-Key recommended)",
    responses=problems(BalanceOutOfRange),
)
async def contribute(
    fund_id: uuid.UUID,
    body: ContributionCreate,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    contribution = await service.contribute(session, principal, fund_id, body)
    response = resource_response(request, contribution, IMMUTABLE, status_code=201)
    response.headers["Location"] = f"/v1/funds/{fund_id}/contributions/{contribution.id}"
    return response


@router.get("", response_model=Page[ContributionPublic], summary="A fund's contributions (public)")
async def list_contributions(
    fund_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    source_kind: SourceKind | None = None,
    page: PagingInOrder = FIRST_PAGE,
) -> Page[ContributionPublic]:
    items, next_cursor = await service.list_contributions(
        session, principal, fund_id, source_kind=source_kind, page=page
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{contribution_id}",
    response_model=ContributionPublic,
    summary="One contribution (public)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_contribution(
    fund_id: uuid.UUID,
    contribution_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
) -> Response:
    contribution = await service.get(session, principal, fund_id, contribution_id)
    return resource_response(request, contribution, IMMUTABLE)
