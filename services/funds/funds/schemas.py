from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field

from services.common.types import AreaCode, Name, PatchModel, RequestBody, area_fits, whole_number
from services.funds.funds.models import KIND_LEVEL, MAX_APPROVALS, MAX_COMMITTEE, FundBase, FundKind

Committee = list[uuid.UUID]
# an integer (`2`, or `2.0`), never `true` or `"2"`; the bounds come before the conversion, so the schema
# states them (`minimum`, `maximum`)
ApprovalRule = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_APPROVALS,
        description="Committee approvals each disbursement or reversal needs",
    ),
    BeforeValidator(whole_number),
]


class FundCreate(RequestBody):
    """A kind tied to a level (a pooled provincial fund, a tambon fund) serves an area of that level."""

    model_config = ConfigDict(json_schema_extra=area_fits("kind", "area_code", KIND_LEVEL))

    name_th: Name
    name_en: Name | None = None
    kind: FundKind
    area_code: AreaCode
    approvals_required: ApprovalRule = 2
    committee: Committee = Field(
        default_factory=list,
        max_length=MAX_COMMITTEE,
        description="User ids of the committee that approves disbursements. A fund opened without one takes "
        "contributions; its disbursements wait for approval until a committee is named (PATCH).",
    )


class FundUpdate(PatchModel):
    """Fields left out stay as they are; the area of a fund never changes. Each change is recorded in the
    fund's history with who made it and when. A change of `committee` or `approvals_required` counts the
    approvals of waiting requests again (only current members count): one that now has enough is approved
    in the same transaction — a disbursement's amount reserved (it stays requested when the fund cannot cover
    it), a reversal posted."""

    name_th: Name | None = None
    name_en: Name | None = None
    kind: FundKind | None = None
    approvals_required: ApprovalRule | None = None
    committee: Committee | None = Field(None, max_length=MAX_COMMITTEE)


class FundPublic(FundBase):
    id: uuid.UUID
    committee: list[str] | None = Field(
        None, description="Committee members' user ids: shown only to the area's staff (null for others)"
    )
    committee_size: int
    balance_satang: int = Field(description="Money the fund holds (stored beside the ledger: O(1) to read)")
    reserved_satang: int = Field(description="Set aside by approved disbursements not yet paid")
    available_satang: int = Field(description="balance − reserved: what new approvals may reserve")
    version: int = Field(description="Version of the fund's settings (the first part of its ETag)")
    created_at: datetime
    updated_at: datetime
