"""What waits for the caller in assessment: submitted items their team's lead reviews (the inbox's part)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.rounds.scoring import review_item
from services.assessment.waiting import repository
from services.common.auth import Principal
from services.common.inbox import Waiting

MOST = 200


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    rows = await repository.items_to_review(session, principal.subject, limit=MOST)
    return Waiting(items=[review_item(row.Item, row.title_th) for row in rows])
