"""What waits for the caller in plans: submitted figures to approve or return (the inbox's plans part)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.inbox import InboxItem, Waiting
from services.plans.reporting.access import UPDATE_REVIEWERS
from services.plans.waiting import repository

MOST = 200  # the oldest first; a national reviewer's country-wide queue is read in its own list


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    areas = [grant.area for grant in principal.grants if grant.role in UPDATE_REVIEWERS]
    rows = await repository.updates_to_review(session, areas, principal.subject, limit=MOST)
    return Waiting(
        items=[
            InboxItem(
                kind="update_review",
                source="plans",
                subject_type="indicator_update",
                subject_id=str(row.Update.id),
                area_code=row.Update.area_code,
                summary=f"{row.title_th[:120]} · {row.Update.area_code} · {row.Update.period}",
                waiting_since=row.Update.submitted_at or row.Update.created_at,
                path=f"/v1/indicators/{row.Update.indicator_id}/updates/{row.Update.id}",
            )
            for row in rows
        ]
    )
