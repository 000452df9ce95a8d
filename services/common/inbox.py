"""What waits for a person, as each service tells it (`GET …/waiting`) and the gateway gathers it
(`GET /v1/me/inbox`): one shape for every kind of item."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

InboxKind = Literal[
    "disbursement_approval",
    "reversal_approval",
    "update_review",
    "item_review",
]


class InboxItem(BaseModel):
    kind: InboxKind = Field(description="What is asked of you")
    source: str = Field(description="The service that holds it")
    subject_type: str
    subject_id: str
    area_code: str
    summary: str = Field(description="A few words on it (an amount, a purpose, an area)")
    waiting_since: datetime = Field(description="Since when it has waited for you")
    path: str = Field(description="The API path of the thing to act on")


class Waiting(BaseModel):
    items: list[InboxItem]
