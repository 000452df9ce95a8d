"""The data chain's steps as they wait in someone's inbox: an update to review, a tambon's period to verify,
a province's period to certify (one shape for `waiting/` and for `inbox.item.created`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.inbox import InboxItem, InboxKind
from services.plans.reporting.models import Update


def update_item(update: Update, title_th: str) -> InboxItem:
    return InboxItem(
        kind="update_review",
        source="plans",
        subject_type="indicator_update",
        subject_id=str(update.id),
        area_code=update.area_code,
        summary=f"{title_th[:120]} · {update.area_code} · {update.period}",
        waiting_since=update.submitted_at or update.created_at,
        path=f"/v1/indicators/{update.indicator_id}/updates/{update.id}",
    )


def period_item(
    kind: InboxKind, indicator_id: uuid.UUID, area_code: str, period: str, title_th: str, since: datetime
) -> InboxItem:
    """A tambon's period to verify (`tambon_verification`) or a province's to certify."""
    level = "tambons" if kind == "tambon_verification" else "provinces"
    return InboxItem(
        kind=kind,
        source="plans",
        subject_type="indicator_period",
        subject_id=f"{indicator_id}/{area_code}/{period}",
        area_code=area_code,
        summary=f"{title_th[:120]} · {area_code} · {period}",
        waiting_since=since,
        path=f"/v1/indicators/{indicator_id}/periods/{period}/{level}/{area_code}",
    )
