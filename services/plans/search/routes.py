from __future__ import annotations

from typing import Annotated

from fastapi import Query

from services.common.auth import MaybePrincipal
from services.common.db import ReadSession
from services.common.routing import api_router
from services.common.types import STORABLE, AreaCode, SearchText
from services.plans.search import service
from services.plans.search.schemas import Found, SearchResults

router = api_router(prefix="/v1/search", tags=["search"])

SearchQuery = Annotated[
    SearchText,
    Query(
        min_length=1,
        max_length=200,
        description="Words in Thai or English; a part of a word is enough (ธนาคารปู finds ธนาคารปูม้า)",
        json_schema_extra=STORABLE,
    ),
]


@router.get(
    "",
    response_model=SearchResults,
    summary="Search strategies, goals, plans, agendas, projects, activities and resolutions (public)",
)
async def search(
    session: ReadSession,
    principal: MaybePrincipal,
    q: SearchQuery,
    type: list[Found] | None = Query(None, description="Only these kinds (repeat the parameter)"),
    area: AreaCode | None = Query(None, description="Only inside this area"),
    limit: int = Query(20, ge=1, le=50, description="At most this many, best first"),
) -> SearchResults:
    return await service.search(session, principal, q, kinds=type, area=area, limit=limit)
