"""The data chain's events: a value approved; a tambon's period verified or sent back; a province's period
certified or reopened. Who did it and why stay with the area's staff: the payloads are public."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.common.types import Quantity


class ValueData(EventData):
    """A tambon's approved figure for a period (and dimension, '' for none)."""

    indicator_id: uuid.UUID
    area_code: str
    period: str
    dimension: str
    value: Quantity | None
    numerator: Quantity | None
    denominator: Quantity | None
    text: str | None
    approved_at: datetime
    version: int


class PeriodData(EventData):
    """A tambon's (6 digits) or a province's (2 digits) period of an indicator, after a step of the chain."""

    indicator_id: uuid.UUID
    area_code: str
    period: str
    status: str
    version: int
    updated_at: datetime


VALUE_APPROVED = EventType(
    "indicator.value.approved",
    "indicator",
    1,
    ValueData,
    "A tambon's figure was approved and is now its value",
    "ข้อมูลของตำบลได้รับการอนุมัติ",
)
PERIOD_VERIFIED = EventType(
    "indicator.period.verified", "indicator", 1, PeriodData, "A tambon verified its period", "ตำบลยืนยันข้อมูลแล้ว"
)
PERIOD_SENT_BACK = EventType(
    "indicator.period.returned",
    "indicator",
    1,
    PeriodData,
    "A province sent a tambon's period back",
    "จังหวัดส่งข้อมูลกลับให้ตำบลแก้ไข",
)
PERIOD_CERTIFIED = EventType(
    "indicator.period.certified",
    "indicator",
    1,
    PeriodData,
    "A province certified its period (now locked)",
    "จังหวัดรับรองข้อมูลแล้ว",
)
PERIOD_REOPENED = EventType(
    "indicator.period.reopened",
    "indicator",
    1,
    PeriodData,
    "A certified province period was reopened",
    "เปิดข้อมูลที่จังหวัดรับรองแล้วให้แก้ไขใหม่",
)
EVENT_TYPES = (VALUE_APPROVED, PERIOD_VERIFIED, PERIOD_SENT_BACK, PERIOD_CERTIFIED, PERIOD_REOPENED)
