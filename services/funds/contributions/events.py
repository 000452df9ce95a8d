"""A contribution's event: money received by a fund, as partners may see it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from services.common.events.registry import INLINE, EventData, EventType
from services.funds.contributions.models import SourceKind


class ContributionData(EventData):
    """A contribution posted to a fund's ledger (a private person's name is "individual")."""

    id: uuid.UUID
    fund_id: uuid.UUID
    transfer_id: uuid.UUID
    amount_satang: int
    source_kind: Annotated[SourceKind, INLINE]
    source_name: str | None
    is_joint_budget: bool
    received_on: date
    balance_after_satang: int = Field(description="The fund's balance right after it")
    created_at: datetime


CONTRIBUTION_POSTED = EventType(
    "fund.contribution.posted",
    "fund",
    1,
    ContributionData,
    "A contribution was posted to a fund's ledger",
    "มีการบันทึกเงินสมทบเข้ากองทุน",
)
EVENT_TYPES = (CONTRIBUTION_POSTED,)
