from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntryPublic(BaseModel):
    seq: int = Field(description="Its place in the chain: 1, 2, 3 … without gaps")
    id: uuid.UUID
    event_id: uuid.UUID | None = Field(description="The event it records (none for a login)")
    occurred_at: datetime
    actor: str | None = Field(
        description="`user:<id>`, `client:<client id>`, `service:<name>`; null: Khabuan"
    )
    action: str = Field(
        description="What was done: an event type (fund.disbursement.approval_added) or auth.*"
    )
    area_code: str
    source: str = Field(description="The service that did it")
    subject_type: str
    subject_id: str
    details: dict[str, Any] = Field(description="Ids, amounts and statuses of the action; no names")
    erased: bool = Field(description="Its personal fields were pseudonymised on a data subject's request")
    entry_hash: str
    prev_hash: str


class AuditPage(BaseModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None


class AuditBreak(BaseModel):
    seq: int
    problem: str = Field(description="changed | missing | head")


class AuditVerification(BaseModel):
    verified: bool
    entries_checked: int
    head_seq: int
    head_hash: str | None
    first_broken: AuditBreak | None
