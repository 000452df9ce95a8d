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
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The services' enums (funds.FundKind, assessment.TeamKind) repeated as literals: the shared kernel imports
# no service; tests/events/test_catalogue.py keeps them equal.
FundKindValue = Literal["pooled_province", "tambon", "project", "revolving"]
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
    EventType("fund.updated", "fund", 1, FundData, "A fund's name or kind changed", "ข้อมูลกองทุนเปลี่ยน"),
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
