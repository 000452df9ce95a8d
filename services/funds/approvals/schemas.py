from __future__ import annotations

from pydantic import Field

from services.common.types import RequestBody
from services.funds.fields import Note, Reason


class ApprovalNote(RequestBody):
    note: Note | None = Field(None, description="Seen only by the area's staff")


class Decision(RequestBody):
    reason: Reason = Field(description="Why (public)")


class Withdrawal(RequestBody):
    reason: Reason | None = Field(None, description="Why (public)")
