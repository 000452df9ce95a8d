"""The event catalogue as partners see it: `GET /v1/webhooks/event-types`, the OpenAPI `webhooks`, and the
types a subscription may name.

The gateway imports no service, so it reads their types from the merged OpenAPI document: each process
publishes its own as `webhooks` operations (services/common/events/published.py), the gateway's included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import FastAPI

from gateway.openapi.merge import HTTP_METHODS, Spec
from gateway.openapi.store import MergedDocument, merged_document
from gateway.webhooks.schemas import EventTypePublic
from services.common.events.published import EVENT_EXTENSION

WEBHOOK_HEADERS_DOC = (
    "Headers (Standard Webhooks): `webhook-id` (the event id: the same on every retry, redelivery and "
    "replay; de-duplicate by it), `webhook-timestamp` (Unix seconds of this attempt), `webhook-signature` "
    "(`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with your endpoint's secret; two space-separated "
    "signatures for 24 hours after a rotation). Answer 2xx within 15 s; anything else is retried after "
    "about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h. 410 Gone disables the endpoint."
)


@dataclass(frozen=True)
class Catalogue:
    """Every event type known now, and the services whose types are not (never seen, no saved copy)."""

    event_types: list[EventTypePublic]
    unseen: Sequence[str]

    @property
    def names(self) -> list[str]:
        return sorted({t.type for t in self.event_types})


async def current_catalogue(app: FastAPI) -> Catalogue:
    return catalogue_of(await merged_document(app))


def catalogue_of(merged: MergedDocument) -> Catalogue:
    """The catalogue in a merged document's `webhooks`, sorted by type then schema version."""
    document = merged.document
    types = [
        _event_type(operation)
        for item in document.get("webhooks", {}).values()
        for method, operation in item.items()
        if method in HTTP_METHODS and EVENT_EXTENSION in operation
    ]
    unseen = sorted(name for name, freshness in merged.sources.items() if freshness == "missing")
    return Catalogue(sorted(types, key=lambda t: (t.type, t.schema_version)), unseen)


def _event_type(operation: Spec) -> EventTypePublic:
    facts = operation[EVENT_EXTENSION]
    return EventTypePublic(
        type=facts["type"],
        schema_version=facts["schema_version"],
        aggregate_type=facts["aggregate_type"],
        summary=facts["summary"],
        summary_th=facts["summary_th"],
        data_schema=facts["data_schema"],
    )
