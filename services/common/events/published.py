"""A process's event types in its OpenAPI document: one `webhooks` operation per type and schema version.

The gateway reads the services' documents to build the catalogue partners subscribe to (it never imports
a service), so each operation carries the type's facts under `x-khabuan-event`: its aggregate, summaries
and the payload's JSON Schema as pydantic writes it (added after FastAPI, which drops every null).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any, Literal

from fastapi import Body, FastAPI
from pydantic import BaseModel, Field, create_model

from services.common.events.envelope import EventEnvelope
from services.common.events.registry import EventType

EVENT_EXTENSION = "x-khabuan-event"
WEBHOOK_TAG = "webhook events"


def webhook_name(event_type: EventType) -> str:
    """The key of its `webhooks` entry: the type's name, `.v<n>` added from schema version 2 on."""
    version = event_type.schema_version
    return event_type.name if version == 1 else f"{event_type.name}.v{version}"


def envelope_model(event_type: EventType) -> type[BaseModel]:
    """The envelope with this type's `type`, `schema_version` and `data` pinned."""
    words = event_type.name.replace("_", ".").split(".")
    model_name = "".join(word.title() for word in words) + f"EventV{event_type.schema_version}"
    fields: dict[str, Any] = {
        "type": (Literal[event_type.name], Field(description=event_type.summary)),
        "schema_version": (Literal[event_type.schema_version], ...),
        "data": (event_type.data, ...),
    }
    return create_model(model_name, __base__=EventEnvelope, __doc__=event_type.summary, **fields)


def publish_event_types(app: FastAPI, event_types: Iterable[EventType]) -> None:
    """Declare each type as an operation of the app's OpenAPI `webhooks`, with its facts."""
    published = sorted(event_types, key=lambda t: (t.name, t.schema_version))
    for event_type in published:
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
        app.webhooks.add_api_route(
            webhook_name(event_type),
            receive,
            methods=["POST"],
            summary=f"{event_type.name} (schema v{event_type.schema_version}): {event_type.summary}",
            description=event_type.summary_th,
            operation_id=f"webhook_{event_type.name.replace('.', '_')}_v{event_type.schema_version}",
            tags=[WEBHOOK_TAG],
            status_code=200,
            responses={200: {"description": "Any 2xx acknowledges the message"}},
        )
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        spec = generate()
        for event_type in published:
            spec["webhooks"][webhook_name(event_type)]["post"][EVENT_EXTENSION] = _facts(event_type)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _facts(event_type: EventType) -> dict[str, Any]:
    return {
        "type": event_type.name,
        "schema_version": event_type.schema_version,
        "aggregate_type": event_type.aggregate_type,
        "summary": event_type.summary,
        "summary_th": event_type.summary_th,
        "data_schema": event_type.data.model_json_schema(),
    }
