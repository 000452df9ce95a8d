from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from gateway.webhooks.addresses import URL_PATTERN
from gateway.webhooks.choices import EVENT_TYPE_CHOICE, MAX_PATTERNS
from services.common.types import Flag, Moment, PatchModel, Remark, RequestBody, Verbatim

EVENT_TYPES_DESCRIPTION = (
    "Exact event types (fund.created), prefixes (fund.*) or * for everything; "
    "see GET /v1/webhooks/event-types"
)


# an endpoint URL: checked by addresses.parse_url, whose pattern the schema publishes
EndpointUrl = Annotated[str, Field(max_length=2048, json_schema_extra={"pattern": URL_PATTERN}), Verbatim]
# a type, a prefix or *: the merged document lists the choices (gateway/webhooks/choices.py)
EventTypeChoice = Annotated[str, Field(json_schema_extra={EVENT_TYPE_CHOICE: True}), Verbatim]
EventTypeChoices = Annotated[list[EventTypeChoice], Field(min_length=1, max_length=MAX_PATTERNS)]


class EndpointCreate(RequestBody):
    url: EndpointUrl = Field(
        description="Where Khabuan POSTs events: https, on a public address (in production)",
        examples=["https://partner.example.org/khabuan/webhooks"],
    )
    event_types: EventTypeChoices = Field(
        description=EVENT_TYPES_DESCRIPTION, examples=[["fund.*", "strategy.created"]]
    )
    description: Remark = ""


class EndpointUpdate(PatchModel):
    url: EndpointUrl | None = None
    event_types: EventTypeChoices | None = Field(default=None, description=EVENT_TYPES_DESCRIPTION)
    description: Remark | None = None
    disabled: Flag | None = Field(
        default=None,
        description="false re-enables an endpoint (also one Khabuan disabled); pending messages resume",
    )


class EndpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    disabled: bool
    disabled_reason: str | None = Field(description="manual | gone (410) | failing (no success for 5 days)")
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="Start of the current run of failed attempts, if any")
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation, until when the old secret signs too (both signatures are sent)"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointPublic):
    secret: str = Field(description="The signing secret (whsec_…): shown only now; keep it safe")


class SecretRotated(BaseModel):
    secret: str = Field(description="The new signing secret: shown only now")
    previous_secret_expires_at: datetime = Field(
        description="Until then messages carry signatures with both the new and the old secret"
    )


class TestQueued(BaseModel):
    event_id: uuid.UUID = Field(description="The webhook-id the test message will carry")


class ReplayRequest(RequestBody):
    since: Moment = Field(description="Re-send every matching event with occurred_at ≥ since")
    until: Moment | None = Field(default=None, description="…and occurred_at < until (default: now)")


class ReplayQueued(BaseModel):
    queued: int = Field(description="How many messages were queued")
    since: datetime
    until: datetime


class MessagePublic(BaseModel):
    """One event owed to the endpoint and the outcome of its last attempt."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="The delivery's id (for redeliver); not the webhook-id")
    event_id: uuid.UUID = Field(description="The webhook-id receivers see, the same on every attempt")
    event_type: str
    origin: str = Field(description="live | redelivery | replay")
    status: str = Field(description="pending | succeeded | failed")
    attempts: int
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_latency_ms: int | None
    last_response_body: str | None = Field(description="The first 1 KiB of the last response body")
    last_error: str | None = Field(description="Timeout, connection error or refused address, if any")
    next_attempt_at: datetime | None
    created_at: datetime


class EventTypePublic(BaseModel):
    type: str
    schema_version: int
    aggregate_type: str
    summary: str
    summary_th: str
    data_schema: dict[str, Any] = Field(description="JSON Schema of the event's data")
