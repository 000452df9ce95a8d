"""Every event type Khabuan publishes, with the schema of its `data` and that schema's version.

The gateway lists these in the OpenAPI `webhooks` section and at `GET /v1/webhooks/event-types`.
Versioning: adding an optional field is not breaking and keeps the version. Removing or renaming a field,
changing its type or meaning is breaking: the type gets a new `schema_version` entry here, and both versions
are published side by side for the announced deprecation period before the old one is retired.
Payloads carry public fields only: no personal data (no national IDs, no names of private persons, no user
ids such as `created_by`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The services' enums (funds.FundKind, assessment.TeamKind, …) repeated as literals: the shared kernel imports
# no service; tests/events/test_catalogue.py and tests/funds/test_events.py keep them equal.
FundKindValue = Literal["pooled_province", "tambon", "project", "revolving"]
SourceKindValue = Literal[
    "savings_group", "welfare_fund", "codi_grant", "partner", "local_government", "individual", "other"
]
PayeeKindValue = Literal["organisation", "individual", "fund"]
DisbursementStatusValue = Literal["requested", "approved", "rejected", "cancelled", "paid", "reversed"]
TransferKindValue = Literal["contribution", "disbursement", "fund_transfer", "reversal"]
TeamKindValue = Literal["internal_empowerment", "outcome", "core_lessons"]


class EventData(BaseModel):
    """Base of every payload: built from a row's attributes, unknown attributes left out."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")


class FundData(EventData):
    """A fund's public state after the change."""

    id: uuid.UUID
    name_th: str
    kind: FundKindValue
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


class ContributionData(EventData):
    """A contribution posted to a fund's ledger (a private person's name is "individual")."""

    id: uuid.UUID
    fund_id: uuid.UUID
    transfer_id: uuid.UUID
    amount_satang: int
    source_kind: SourceKindValue
    source_name: str | None
    is_joint_budget: bool
    received_on: date
    balance_after_satang: int = Field(description="The fund's balance right after it")
    created_at: datetime


class DisbursementData(EventData):
    """A disbursement's public state after the change (a private payee's name is "individual")."""

    id: uuid.UUID
    fund_id: uuid.UUID
    amount_satang: int
    purpose: str
    payee_kind: PayeeKindValue
    payee_name: str
    to_fund_id: uuid.UUID | None
    project_id: uuid.UUID | None
    project_verification: Literal["unverified"] | None
    status: DisbursementStatusValue
    approvals_count: int
    approvals_required: int
    transfer_id: uuid.UUID | None
    paid_at: datetime | None
    decision_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class TransferData(EventData):
    """A ledger transfer as one fund sees it: money between funds, or a reversal."""

    transfer_id: uuid.UUID
    fund_id: uuid.UUID
    kind: TransferKindValue
    amount_satang: int = Field(description="Signed, from this fund's side: + in, − out")
    balance_after_satang: int
    counterparty_kind: str | None
    counterparty_name: str | None
    memo: str | None
    reverses_transfer_id: uuid.UUID | None
    posted_at: datetime


class LedgerProblemData(EventData):
    account: Literal["holdings", "contributions", "payouts"] | None
    problem: str
    sequence: int | None
    transfer_id: uuid.UUID | None
    detail: str


class ReconciliationFailedData(EventData):
    """The reconciliation job found a fund whose ledger does not add up: a transfer that does not sum to zero,
    a stored balance or reservation that differs from its entries, or a hash chain that does not verify."""

    fund_id: uuid.UUID
    problems: list[LedgerProblemData]
    checked_at: datetime


class StrategyData(EventData):
    """A people's strategy's public state after the change."""

    id: uuid.UUID
    province_code: str
    title_th: str
    vision: str
    version: int
    created_at: datetime
    updated_at: datetime


class TeamData(EventData):
    """A support team's public state after the change."""

    id: uuid.UUID
    kind: TeamKindValue
    name: str
    area_code: str
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookEndpointTestedData(EventData):
    """Sent to one endpoint when its owner asks for a test (POST /v1/webhooks/endpoints/{id}/test)."""

    endpoint_id: uuid.UUID
    message: str = "This is a test event from Khabuan."


class WebhookEndpointDisabledData(EventData):
    """An endpoint was switched off by Khabuan; its owner's other endpoints are told."""

    endpoint_id: uuid.UUID
    reason: Literal["gone", "failing"] = Field(
        description="gone: the receiver answered 410; failing: no successful attempt for the disable period"
    )
    disabled_at: datetime
    failing_since: datetime | None = None
    last_status_code: int | None = None


@dataclass(frozen=True)
class EventType:
    name: str
    aggregate_type: str
    schema_version: int
    data: type[EventData]
    summary: str
    summary_th: str


class UnknownEventType(LookupError):
    """A service tried to record an event type the catalogue does not list."""


CATALOGUE: tuple[EventType, ...] = (
    EventType("fund.created", "fund", 1, FundData, "A fund was opened", "มีการเปิดกองทุน"),
    EventType(
        "fund.updated",
        "fund",
        1,
        FundUpdatedData,
        "A fund's names, kind, committee or approval rule changed",
        "ข้อมูล คณะกรรมการ หรือเกณฑ์การอนุมัติของกองทุนเปลี่ยน",
    ),
    EventType(
        "fund.contribution.posted",
        "fund",
        1,
        ContributionData,
        "A contribution was posted to a fund's ledger",
        "มีการบันทึกเงินสมทบเข้ากองทุน",
    ),
    EventType(
        "fund.disbursement.requested",
        "fund",
        1,
        DisbursementData,
        "A disbursement was requested",
        "มีคำขอเบิกจ่ายจากกองทุน",
    ),
    EventType(
        "fund.disbursement.approved",
        "fund",
        1,
        DisbursementData,
        "A disbursement got its last approval needed; its amount is reserved",
        "คำขอเบิกจ่ายได้รับอนุมัติครบ และกันเงินไว้แล้ว",
    ),
    EventType(
        "fund.disbursement.rejected",
        "fund",
        1,
        DisbursementData,
        "A disbursement was rejected by the committee",
        "คณะกรรมการปฏิเสธคำขอเบิกจ่าย",
    ),
    EventType(
        "fund.disbursement.cancelled",
        "fund",
        1,
        DisbursementData,
        "A disbursement was withdrawn",
        "คำขอเบิกจ่ายถูกยกเลิก",
    ),
    EventType(
        "fund.disbursement.paid",
        "fund",
        1,
        DisbursementData,
        "A disbursement was paid (posted to the ledger)",
        "จ่ายเงินตามคำขอเบิกจ่ายแล้ว",
    ),
    EventType(
        "fund.disbursement.reversed",
        "fund",
        1,
        DisbursementData,
        "A paid disbursement's payment was undone by an approved reversal",
        "การจ่ายเงินตามคำขอเบิกจ่ายถูกกลับรายการแล้ว",
    ),
    EventType(
        "fund.transfer.posted",
        "fund",
        1,
        TransferData,
        "Money moved between funds (sent to both funds)",
        "มีการโอนเงินระหว่างกองทุน (แจ้งทั้งสองกองทุน)",
    ),
    EventType(
        "fund.transfer.reversed",
        "fund",
        1,
        TransferData,
        "A transfer was reversed as a whole (sent to every fund it touched)",
        "รายการโอนถูกกลับรายการทั้งรายการ (แจ้งทุกกองทุนที่เกี่ยวข้อง)",
    ),
    EventType(
        "fund.reconciliation.failed",
        "fund",
        1,
        ReconciliationFailedData,
        "The reconciliation job found a fund whose ledger does not add up",
        "การกระทบยอดพบว่าบัญชีของกองทุนไม่ถูกต้อง",
    ),
    EventType("strategy.created", "strategy", 1, StrategyData, "A strategy was recorded", "มีการบันทึกยุทธศาสตร์"),
    EventType("strategy.updated", "strategy", 1, StrategyData, "A strategy was revised", "ยุทธศาสตร์ถูกปรับปรุง"),
    EventType("team.created", "team", 1, TeamData, "A support team was formed", "มีการตั้งทีมหนุนเสริม"),
    EventType("team.updated", "team", 1, TeamData, "A support team was renamed", "ทีมหนุนเสริมถูกแก้ไข"),
    EventType(
        "webhook.endpoint.tested",
        "webhook_endpoint",
        1,
        WebhookEndpointTestedData,
        "A test message, sent only to the endpoint under test",
        "ข้อความทดสอบ ส่งถึงปลายทางที่ขอทดสอบเท่านั้น",
    ),
    EventType(
        "webhook.endpoint.disabled",
        "webhook_endpoint",
        1,
        WebhookEndpointDisabledData,
        "An endpoint was disabled (410 Gone, or failing for too long); sent to its owner's other endpoints",
        "ปลายทางถูกปิด (ตอบ 410 หรือล้มเหลวนานเกินไป) แจ้งไปยังปลายทางอื่นของเจ้าของ",
    ),
)


def event_types() -> list[EventType]:
    """Every type and version, sorted by name then version (the order the gateway publishes them in)."""
    return sorted(CATALOGUE, key=lambda t: (t.name, t.schema_version))


def current(name: str) -> EventType:
    """The newest schema version of a type: the one services record."""
    versions = [t for t in CATALOGUE if t.name == name]
    if not versions:
        raise UnknownEventType(f"{name!r} is not in services/common/events/catalogue.py")
    return max(versions, key=lambda t: t.schema_version)
