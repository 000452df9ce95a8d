"""A partner client's events: what it may read and whether it works (never its secret)."""

from __future__ import annotations

import uuid
from datetime import datetime

from gateway.clients.schemas import PartnerGrant
from services.common.events.registry import EventData, EventType


class ClientData(EventData):
    id: uuid.UUID
    client_id: str
    grants: list[PartnerGrant]
    active: bool
    version: int
    updated_at: datetime


CLIENT_CREATED = EventType(
    "client.created", "client", 1, ClientData, "A partner client was registered", "มีการลงทะเบียนระบบภาคี"
)
CLIENT_SECRET_ROTATED = EventType(
    "client.secret_rotated",
    "client",
    1,
    ClientData,
    "A partner client's secret was rotated",
    "มีการเปลี่ยนรหัสลับของระบบภาคี",
)
CLIENT_DISABLED = EventType(
    "client.disabled", "client", 1, ClientData, "A partner client was disabled", "ระบบภาคีถูกระงับ"
)
CLIENT_ENABLED = EventType(
    "client.enabled", "client", 1, ClientData, "A partner client was enabled", "ระบบภาคีกลับมาใช้งานได้"
)
EVENT_TYPES = (CLIENT_CREATED, CLIENT_SECRET_ROTATED, CLIENT_DISABLED, CLIENT_ENABLED)
