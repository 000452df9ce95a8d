"""The event catalogue as partners see it: `GET /v1/webhooks/event-types` and the OpenAPI `webhooks`."""

from __future__ import annotations

import inspect
from typing import Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field, create_model

from gateway.webhooks.schemas import EventTypePublic
from services.common.events import EventEnvelope, catalogue

WEBHOOK_HEADERS_DOC = (
    "Headers (Standard Webhooks): `webhook-id` (the event id: the same on every retry, redelivery and "
    "replay; de-duplicate by it), `webhook-timestamp` (Unix seconds of this attempt), `webhook-signature` "
    "(`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with your endpoint's secret; two space-separated "
    "signatures for 24 hours after a rotation). Answer 2xx within 15 s; anything else is retried after "
    "about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h. 410 Gone disables the endpoint."
)


def event_type_list() -> list[EventTypePublic]:
    return [
        EventTypePublic(
            type=t.name,
            schema_version=t.schema_version,
            aggregate_type=t.aggregate_type,
            summary=t.summary,
            summary_th=t.summary_th,
            data_schema=t.data.model_json_schema(),
        )
        for t in catalogue.event_types()
    ]


def _model_name(event_type: catalogue.EventType) -> str:
    words = event_type.name.replace("_", ".").split(".")
    return "".join(word.title() for word in words) + f"EventV{event_type.schema_version}"


def envelope_model(event_type: catalogue.EventType) -> type[BaseModel]:
    """The envelope with this type's `type`, `schema_version` and `data` pinned."""
    fields: dict[str, Any] = {
        "type": (Literal[event_type.name], Field(description=event_type.summary)),
        "schema_version": (Literal[event_type.schema_version], ...),
        "data": (event_type.data, ...),
    }
    return create_model(_model_name(event_type), __base__=EventEnvelope, __doc__=event_type.summary, **fields)


def register_webhooks(router: APIRouter) -> None:
    """One webhook operation per event type and schema version, for FastAPI's OpenAPI `webhooks` section
    (`router` is the app's `webhooks`)."""
    for event_type in catalogue.event_types():
        model = envelope_model(event_type)

        async def receive(body: Any) -> None:  # documentation only: receivers implement it
            return None

        receive.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter(
                    "body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=model, default=Body()
                )
            ]
        )
        receive.__annotations__ = {"body": model, "return": None}
        name = (
            event_type.name
            if event_type.schema_version == 1
            else f"{event_type.name}.v{event_type.schema_version}"
        )
        router.add_api_route(
            name,
            receive,
            methods=["POST"],
            summary=f"{event_type.name} (schema v{event_type.schema_version}): {event_type.summary}",
            description=f"{event_type.summary_th}\n\n{WEBHOOK_HEADERS_DOC}",
            operation_id=f"webhook_{event_type.name.replace('.', '_')}_v{event_type.schema_version}",
            tags=["webhook events"],
            status_code=200,
            responses={200: {"description": "Any 2xx acknowledges the message"}},
        )
