from __future__ import annotations

from services.common.auth import CurrentPrincipal
from services.common.db import ReadSession
from services.common.inbox import Waiting
from services.common.routing import api_router
from services.plans.waiting import service

router = api_router(prefix="/v1/indicators/updates", tags=["indicators"])


@router.get(
    "/waiting",
    response_model=Waiting,
    summary="Submitted figures waiting for your review (the plans part of /v1/me/inbox)",
)
async def waiting(session: ReadSession, principal: CurrentPrincipal) -> Waiting:
    return await service.waiting_for(session, principal)
