from __future__ import annotations

from services.assessment.waiting import service
from services.common.auth import CurrentPrincipal
from services.common.db import ReadSession
from services.common.inbox import Waiting
from services.common.routing import api_router

router = api_router(prefix="/v1/rounds/items", tags=["rounds"])


@router.get(
    "/waiting",
    response_model=Waiting,
    summary="Items waiting for your review as your team's lead (the assessment part of /v1/me/inbox)",
)
async def waiting(session: ReadSession, principal: CurrentPrincipal) -> Waiting:
    return await service.waiting_for(session, principal)
