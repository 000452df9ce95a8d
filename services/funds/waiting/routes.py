from __future__ import annotations

from services.common.auth import CurrentPrincipal
from services.common.db import ReadSession
from services.common.inbox import Waiting
from services.common.routing import api_router
from services.funds.waiting import service

router = api_router(prefix="/v1/funds/approvals", tags=["funds"])


@router.get(
    "/waiting",
    response_model=Waiting,
    summary="Disbursements and reversals waiting for your approval (the funds part of /v1/me/inbox)",
)
async def waiting(session: ReadSession, principal: CurrentPrincipal) -> Waiting:
    return await service.waiting_for(session, principal)
