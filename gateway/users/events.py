"""An account's events: what partners and services need to follow access (never a name or a username)."""

from __future__ import annotations

import uuid
from datetime import datetime

from gateway.users.schemas import Grant
from services.common.events.registry import EventData, EventType


class UserData(EventData):
    """An account after the change: its grants and whether it may sign in."""

    id: uuid.UUID
    grants: list[Grant]
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


USER_CREATED = EventType("user.created", "user", 1, UserData, "An account was created", "มีการสร้างบัญชีผู้ใช้")
USER_UPDATED = EventType(
    "user.updated", "user", 1, UserData, "An account's name or grants changed", "ชื่อหรือสิทธิ์ของบัญชีเปลี่ยน"
)
USER_DEACTIVATED = EventType(
    "user.deactivated",
    "user",
    1,
    UserData,
    "An account was deactivated: its tokens stop working",
    "บัญชีถูกระงับ โทเค็นของบัญชีใช้ไม่ได้อีก",
)
USER_REACTIVATED = EventType(
    "user.reactivated", "user", 1, UserData, "An account was reactivated", "บัญชีกลับมาใช้งานได้"
)
EVENT_TYPES = (USER_CREATED, USER_UPDATED, USER_DEACTIVATED, USER_REACTIVATED)
