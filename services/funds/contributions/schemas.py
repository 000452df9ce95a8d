from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.common.money import PositiveSatang
from services.common.types import Day, Name, RequestBody
from services.funds.contributions.models import SourceKind
from services.funds.fields import Reference


class ContributionCreate(RequestBody):
    """Every source but a private person is named (`source_name`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"source_kind": {"const": SourceKind.individual.value}}},
            "else": {"required": ["source_name"], "properties": {"source_name": {"type": "string"}}},
        }
    )

    amount_satang: PositiveSatang
    source_kind: SourceKind
    source_name: Name | None = Field(
        None,
        description="Who contributed: required for every source but a private person (whose name only the "
        "area's staff see); partner and local-government budgets are the joint budget with the partner named",
    )
    received_on: Day = Field(
        description="Bangkok date the money arrived: not in the future, in the Christian era (YYYY-MM-DD)"
    )
    reference: Reference | None = Field(None, description="Receipt or bank reference (area's staff only)")


class ContributionPublic(BaseModel):
    id: uuid.UUID
    fund_id: uuid.UUID
    transfer_id: uuid.UUID
    amount_satang: int
    source_kind: SourceKind
    source_name: str | None = Field(
        description='"individual" for a private person, except to the area\'s staff'
    )
    is_joint_budget: bool = Field(description="A partner's or local government's budget (งบร่วม)")
    received_on: date
    reference: str | None = Field(description="Only for the area's staff")
    recorded_by: str | None = Field(description="Only for the area's staff")
    balance_after_satang: int | None = Field(
        None, description="The fund's balance right after it (in the answer to the POST only)"
    )
    created_at: datetime
