from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field
from sqlmodel import SQLModel

from services.common.types import (
    Flag,
    Name,
    Paragraph,
    PatchModel,
    PositiveQuantity,
    Quantity,
    RequestBody,
    Sentence,
    TambonCode,
)
from services.plans.indicators.schemas import Dimension, FigureIn, FigureOut, Period, ShownDimension
from services.plans.reporting.models import ProvinceStatus, TambonStatus, UpdateStatus

LINK_PATTERN = r"^https?://[!-~]+$"
Link = Annotated[
    str, Field(min_length=8, max_length=2_000, pattern=LINK_PATTERN, description="An http(s) address")
]
MAX_EVIDENCE = 20


class EvidenceLink(RequestBody):
    """Where the figure can be checked: minutes, a photo album, a survey sheet."""

    url: Link
    title: Name | None = None


class UpdateCreate(FigureIn):
    """A figure for one tambon, period and dimension; a draft until submitted (`submit: true` does both)."""

    area_code: TambonCode = Field(description="The tambon (6 digits) the figure is of")
    period: Period
    dimension: Dimension | None = None
    note: Paragraph = ""
    evidence: list[EvidenceLink] = Field(default_factory=list, max_length=MAX_EVIDENCE)
    submit: Flag = False


class UpdateRevise(PatchModel):
    """A draft or returned update's figure, note or evidence, revised by its author."""

    value: Quantity | None = None
    numerator: Quantity | None = None
    denominator: PositiveQuantity | None = None
    text: Sentence | None = None
    note: Paragraph | None = None
    evidence: list[EvidenceLink] | None = Field(default=None, max_length=MAX_EVIDENCE)


class Reason(RequestBody):
    """Why: the people it goes back to read it."""

    reason: Sentence


class Permissions(SQLModel):
    """What the caller may do now, as the service will judge it (each false for an anonymous reader). On an
    update, `may_return` sends the update back; on a tambon's period, it sends the tambon back."""

    may_submit: bool = False
    may_approve: bool = False
    may_return: bool = False
    may_verify: bool = False
    may_certify: bool = False


class UpdatePublic(Permissions, FigureOut):
    id: uuid.UUID
    indicator_id: uuid.UUID
    area_code: str
    period: str
    dimension: ShownDimension
    note: str
    evidence: list[EvidenceLink]
    status: UpdateStatus
    created_by: str
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_comment: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ValuePublic(FigureOut):
    """A tambon's approved figure; `approved_by` is shown to the area's staff only."""

    id: uuid.UUID
    indicator_id: uuid.UUID
    area_code: str
    period: str
    dimension: ShownDimension
    update_id: uuid.UUID | None
    approved_by: str | None
    approved_at: datetime
    version: int
    updated_at: datetime


class Stamp(SQLModel):
    """One step of the chain: when, and (to the area's staff) who and why."""

    by: str | None = None
    at: datetime | None = None
    reason: str | None = None


class TambonPeriodPublic(Permissions):
    indicator_id: uuid.UUID
    area_code: str
    period: str
    status: TambonStatus
    verified: Stamp
    returned: Stamp
    province_status: ProvinceStatus
    values: int = Field(description="Approved values the tambon has in the period")
    pending_updates: int = Field(description="Submitted updates waiting for a reviewer")
    version: int


class ProvincePeriodPublic(Permissions):
    indicator_id: uuid.UUID
    province_code: str
    period: str
    status: ProvinceStatus
    certified: Stamp
    reopened: Stamp
    tambons_with_data: int = Field(description="Tambons with an approved value or a submitted update")
    tambons_verified: int
    unverified_tambons: list[str] = Field(description="Tambons with data not yet verified: certifying waits")
    may_reopen: bool = False
    version: int
