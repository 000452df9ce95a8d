from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.common.money import PositiveSatang
from services.common.types import Name, NationalId, RequestBody
from services.funds.disbursements.models import DisbursementStatus, PayeeKind, ProjectVerification
from services.funds.fields import Purpose, Reference
from services.funds.history.schemas import HistoryEntryPublic


class DisbursementCreate(RequestBody):
    """A fund payee is named by `to_fund_id` (another fund; its name is taken from it); any other payee by
    `payee_name`, with no `to_fund_id`; only a private person (`individual`) by `payee_national_id` too."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {
                        "properties": {"payee_kind": {"const": PayeeKind.fund.value}},
                        "required": ["payee_kind"],
                    },
                    "then": {"required": ["to_fund_id"], "properties": {"to_fund_id": {"type": "string"}}},
                    "else": {
                        "required": ["payee_name"],
                        "properties": {"payee_name": {"type": "string"}, "to_fund_id": {"type": "null"}},
                    },
                },
                {  # only a private person is named by a national ID
                    "if": {
                        "properties": {"payee_kind": {"not": {"const": PayeeKind.individual.value}}},
                        "required": ["payee_kind"],
                    },
                    "then": {"properties": {"payee_national_id": {"type": "null"}}},
                },
            ]
        }
    )

    amount_satang: PositiveSatang
    purpose: Purpose = Field(description="What the money is for (public)")
    payee_kind: PayeeKind
    payee_name: Name | None = Field(
        None,
        description="The organisation or person paid (a person's name is shown only to the area's staff); "
        "for a fund, its name is taken from the fund",
    )
    payee_national_id: NationalId | None = Field(
        None,
        description="A private person's national ID (payee_kind individual only), to find their records "
        "again: kept as a keyed hash and its last four digits, never shown back",
    )
    to_fund_id: uuid.UUID | None = Field(None, description="The fund paid, when payee_kind is fund")
    project_id: uuid.UUID | None = Field(
        None,
        description="The plans project it serves: checked with the plans service (an unknown one is 422; "
        "plans unreachable is 503 and nothing is written); the project lists it once paid",
    )


class Payment(RequestBody):
    payment_reference: Reference = Field(
        description="Bank transfer, cheque or receipt number (seen only by the area's staff)"
    )


class DisbursementPublic(BaseModel):
    id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int
    purpose: str
    payee_kind: PayeeKind
    payee_name: str = Field(description='"individual" for a private person, except to the area\'s staff')
    payee_national_id_last4: str | None = Field(
        description="The last four digits of a private payee's national ID; only for the area's staff"
    )
    to_fund_id: uuid.UUID | None
    project_id: uuid.UUID | None
    project_verification: ProjectVerification | None
    status: DisbursementStatus
    approvals_count: int
    approvals_required: int = Field(description="The fund's current rule")
    requested_by: str | None = Field(description="User id; only for the area's staff")
    transfer_id: uuid.UUID | None = Field(description="The payment's ledger transfer, once paid")
    payment_reference: str | None = Field(description="Only for the area's staff")
    paid_at: datetime | None
    decision_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class DisbursementDetail(DisbursementPublic):
    history: list[HistoryEntryPublic] = Field(description="Who did what, when (people: staff only)")
