from __future__ import annotations

from pydantic import BaseModel, Field

from services.funds.fields import Note, Reason


class ApprovalNote(BaseModel):
    note: Note | None = Field(None, description="Seen only by the area's staff")


class Decision(BaseModel):
    reason: Reason = Field(description="Why (public)")


class Withdrawal(BaseModel):
    reason: Reason | None = Field(None, description="Why (public)")
