"""What waits for the caller in plans (the inbox's plans part): submitted figures to approve or return,
tambon periods to verify, province periods to certify."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.inbox import InboxItem, InboxKind, Waiting
from services.plans.reporting.access import CERTIFIERS, UPDATE_REVIEWERS, VERIFIERS
from services.plans.reporting.inbox import period_item, update_item
from services.plans.waiting import repository

MOST = 200  # the oldest first; a national reviewer's country-wide queue is read in its own list


async def waiting_for(session: AsyncSession, principal: Principal) -> Waiting:
    if principal.kind != "user":
        return Waiting(items=[])
    reviewing = [grant.area for grant in principal.grants if grant.role in UPDATE_REVIEWERS]
    verifying = [grant.area for grant in principal.grants if grant.role in VERIFIERS]
    certifying = [grant.area for grant in principal.grants if grant.role in CERTIFIERS]
    items = [
        update_item(row.Update, row.title_th)
        for row in await repository.updates_to_review(session, reviewing, principal.subject, limit=MOST)
    ]
    items += [
        _period_item("tambon_verification", row)
        for row in await repository.tambons_to_verify(session, verifying, limit=MOST)
    ]
    items += [
        _period_item("province_certification", row)
        for row in await repository.provinces_to_certify(session, certifying, limit=MOST)
    ]
    return Waiting(items=items)


def _period_item(kind: InboxKind, row: Row[Any]) -> InboxItem:
    return period_item(kind, row.indicator_id, row.area_code, row.period, row.title_th, row.since)
