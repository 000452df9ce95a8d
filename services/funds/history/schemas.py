from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from services.funds.history.models import Action, Subject


class HistoryEntryPublic(BaseModel):
    id: int = Field(description="Position in the fund's history (increasing)")
    subject_type: Subject
    subject_id: uuid.UUID
    action: Action
    at: datetime
    actor: str | None = Field(None, description="Who did it (user or client id); only for the area's staff")
    details: dict[str, Any] = Field(default_factory=dict)
