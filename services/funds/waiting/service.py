"""What waits for the caller in funds: disbursements and reversals to approve (the inbox's funds part)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.inbox import InboxItem, Waiting
from services.common.money import format_baht
from services.funds.waiting import repository


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    member = principal.subject
    items = [
        InboxItem(
            kind="disbursement_approval",
            source="funds",
            subject_type="disbursement",
            subject_id=str(row.Disbursement.id),
            area_code=row.area_code,
            summary=_summary(
                f"{format_baht(row.Disbursement.amount_satang)} บาท", row.Disbursement.purpose, row.name_th
            ),
            waiting_since=row.Disbursement.created_at,
            path=f"/v1/funds/{row.Disbursement.fund_id}/disbursements/{row.Disbursement.id}",
        )
        for row in await repository.disbursements_for(session, member)
    ]
    items += [
        InboxItem(
            kind="reversal_approval",
            source="funds",
            subject_type="reversal",
            subject_id=str(row.Reversal.id),
            area_code=row.area_code,
            summary=_summary(row.Reversal.reason, row.name_th),
            waiting_since=row.Reversal.created_at,
            path=f"/v1/funds/{row.Reversal.fund_id}/reversals/{row.Reversal.id}",
        )
        for row in await repository.reversals_for(session, member)
    ]
    return Waiting(items=items)


def _summary(*parts: str) -> str:
    return " · ".join(part[:120] for part in parts)
