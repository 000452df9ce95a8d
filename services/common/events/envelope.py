"""The event envelope: what every consumer (and, later, every webhook receiver) sees around `data`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

STREAM_FIELDS = ("id", "type", "event")


class EventEnvelope(BaseModel):
    """One domain event; `id` is unique for ever, `sequence` counts 1, 2, 3 … per aggregate without gaps."""

    id: uuid.UUID = Field(description="Unique event id; consumers de-duplicate by it")
    type: str = Field(description="`<aggregate>.<past_tense>`, e.g. fund.created")
    occurred_at: datetime = Field(description="When the change was made (UTC)")
    source: str = Field(description="The service that made the change, e.g. funds")
    aggregate_type: str = Field(description="What changed, e.g. fund")
    aggregate_id: str = Field(description="Which one changed")
    sequence: int = Field(ge=1, description="Per-aggregate order: 1 for its first event, no gaps")
    area_code: str = Field(description="The area the aggregate belongs to (DOPA code, region or TH)")
    data: dict[str, Any] = Field(description="The payload; its shape is the catalogue's for type + version")
    schema_version: int = Field(ge=1, description="Version of the payload schema of this type")
    # Who made the change (`user:<id>`, `client:<client id>`, `service:<name>`; None: Khabuan's own job).
    # Only on the internal stream, for the audit log: what leaves Khabuan (webhooks, the catalogue) never
    # names who.
    actor: SkipJsonSchema[str | None] = Field(default=None, exclude=True)

    def to_json(self) -> bytes:
        """The envelope as partners receive it (no actor)."""
        return orjson.dumps(self.model_dump(mode="json"))

    def stream_fields(self) -> dict[str, bytes]:
        """The fields of its Redis stream entry: `id` and `type` for cheap filtering, `event` the JSON (with
        the actor: the stream is Khabuan's own)."""
        return {"id": str(self.id).encode(), "type": self.type.encode(), "event": self.internal_json()}

    def internal_json(self) -> bytes:
        """The envelope as the internal stream carries it: with the actor."""
        return orjson.dumps({**self.model_dump(mode="json"), "actor": self.actor})

    @classmethod
    def from_stream_fields(cls, fields: dict[bytes, bytes] | dict[str, str]) -> EventEnvelope:
        raw = {k.decode() if isinstance(k, bytes) else k: v for k, v in fields.items()}
        return cls.model_validate_json(raw["event"])
