from __future__ import annotations

import uuid

from fastapi import Query, Request, Response

from services.common.auth import MaybePrincipal
from services.common.db import ReadSession
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.rollups import service
from services.plans.rollups.schemas import Level, RollupPublic

router = api_router(prefix="/v1/indicators/{indicator_id}", tags=["indicator data"])


@router.get(
    "/rollup",
    response_model=RollupPublic,
    summary="Actual vs target per area of a level, by the indicator's rules (public; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def rollup(
    indicator_id: uuid.UUID,
    request: Request,
    session: ReadSession,
    principal: MaybePrincipal,
    level: Level = Query("province", description="The areas to roll up to"),
    fiscal_year: FiscalYearQuery = None,
    area: AreaCode | None = Query(None, description="Only areas inside this one"),
    certified_only: bool = Query(False, description="Count only the periods their provinces certified"),
) -> Response:
    """Serialised once, straight from the figures (a nation of tambons is thousands of items); its ETag
    names the figures, so a dashboard that polls gets 304 until they change."""
    rolled = await service.rollup(
        session,
        principal,
        indicator_id,
        level=level,
        fiscal_year=fiscal_year,
        area=area,
        certified_only=certified_only,
    )
    return resource_response(request, rolled, "rollup")
