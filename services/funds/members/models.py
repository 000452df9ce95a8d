from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from services.funds.db import SCHEMA


class MemberAccount(SQLModel, table=True):
    """An account as the gateway's `user.deactivated` / `user.reactivated` events last told it (an account
    never told of is active): kept at the newest event seen, so replays and reordering change nothing."""

    __tablename__ = "member_accounts"
    __table_args__ = ({"schema": SCHEMA},)

    user_id: str = Field(primary_key=True, max_length=64)
    active: bool
    changed_at: datetime = Field(sa_type=DateTime(timezone=True), description="When the event happened")
