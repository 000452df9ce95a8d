"""What waits for the caller in funds: disbursements and reversals to approve (the inbox's funds part)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.inbox import Waiting
from services.funds.disbursements import service as disbursements
from services.funds.reversals import service as reversals
from services.funds.waiting import repository


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    member = principal.subject
    items = [
        disbursements.inbox_item(row.Disbursement, row.area_code, row.name_th)
        for row in await repository.disbursements_for(session, member)
    ]
    items += [
        reversals.inbox_item(row.Reversal, row.area_code, row.name_th)
        for row in await repository.reversals_for(session, member)
    ]
    return Waiting(items=items)
