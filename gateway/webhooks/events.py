"""The gateway's own events, about webhook endpoints: each goes only to the endpoint's owner."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from gateway.webhooks.scope import ENDPOINT_AGGREGATE, TESTED
from services.common.events.registry import EventData, EventType


class WebhookEndpointTestedData(EventData):
    """Sent to one endpoint when its owner asks for a test (POST /v1/webhooks/endpoints/{id}/test)."""

    endpoint_id: uuid.UUID
    message: str = "This is a test event from Khabuan."


class WebhookEndpointDisabledData(EventData):
    """An endpoint was switched off by Khabuan; its owner's other endpoints are told."""

    endpoint_id: uuid.UUID
    # the DisabledReason values Khabuan itself sets (an owner's own `manual` is not announced)
    reason: Literal["gone", "failing"] = Field(
        description="gone: the receiver answered 410; failing: no successful attempt for the disable period"
    )
    disabled_at: datetime
    failing_since: datetime | None = None
    last_status_code: int | None = None


ENDPOINT_TESTED = EventType(
    TESTED,
    ENDPOINT_AGGREGATE,
    1,
    WebhookEndpointTestedData,
    "A test message, sent only to the endpoint under test",
    "ข้อความทดสอบ ส่งถึงปลายทางที่ขอทดสอบเท่านั้น",
)
ENDPOINT_DISABLED = EventType(
    "webhook.endpoint.disabled",
    ENDPOINT_AGGREGATE,
    1,
    WebhookEndpointDisabledData,
    "An endpoint was disabled (410 Gone, or failing for too long); sent to its owner's other endpoints",
    "ปลายทางถูกปิด (ตอบ 410 หรือล้มเหลวนานเกินไป) แจ้งไปยังปลายทางอื่นของเจ้าของ",
)
EVENT_TYPES = (ENDPOINT_TESTED, ENDPOINT_DISABLED)
