"""A fund's own events: opened, and its settings changed (what partners may see of a fund)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from services.common.events.registry import INLINE, EventData, EventType
from services.funds.funds.models import FundKind


class FundData(EventData):
    """A fund's public state after the change."""

    id: uuid.UUID
    name_th: str
    kind: Annotated[FundKind, INLINE]
    area_code: str = Field(description="DOPA code of the area the fund serves")
    version: int
    created_at: datetime
    updated_at: datetime


class FundUpdatedData(FundData):
    """A fund's public state after a change of its settings, and which fields changed (committee members'
    ids are never published: only how many there are)."""

    name_en: str | None = None
    approvals_required: int | None = None
    committee_size: int | None = None
    changed_fields: list[str] = Field(default_factory=list, description="e.g. committee, approvals_required")


FUND_CREATED = EventType("fund.created", "fund", 1, FundData, "A fund was opened", "มีการเปิดกองทุน")
FUND_UPDATED = EventType(
    "fund.updated",
    "fund",
    1,
    FundUpdatedData,
    "A fund's names, kind, committee or approval rule changed",
    "ข้อมูล คณะกรรมการ หรือเกณฑ์การอนุมัติของกองทุนเปลี่ยน",
)
EVENT_TYPES = (FUND_CREATED, FUND_UPDATED)
