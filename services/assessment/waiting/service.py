"""What waits for the caller in assessment: submitted items their team's lead reviews (the inbox's part)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.waiting import repository
from services.common.auth import Principal
from services.common.inbox import InboxItem, Waiting

MOST = 200


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    rows = await repository.items_to_review(session, principal.subject, limit=MOST)
    return Waiting(
        items=[
            InboxItem(
                kind="item_review",
                source="assessment",
                subject_type="round_item",
                subject_id=f"{row.Item.round_id}/{row.Item.area_code}/{row.Item.criterion}",
                area_code=row.Item.area_code,
                summary=f"{row.title_th[:120]} · {row.Item.area_code} · {row.Item.criterion}",
                waiting_since=row.Item.submitted_at or row.Item.updated_at,
                path=f"/v1/rounds/{row.Item.round_id}/items/{row.Item.area_code}/{row.Item.criterion}",
            )
            for row in rows
        ]
    )
