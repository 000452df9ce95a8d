"""A people's strategy's events: recorded, and revised."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType


class StrategyData(EventData):
    """A people's strategy's public state after the change."""

    id: uuid.UUID
    province_code: str
    title_th: str
    vision: str
    version: int
    created_at: datetime
    updated_at: datetime


STRATEGY_CREATED = EventType(
    "strategy.created", "strategy", 1, StrategyData, "A strategy was recorded", "มีการบันทึกยุทธศาสตร์"
)
STRATEGY_UPDATED = EventType(
    "strategy.updated", "strategy", 1, StrategyData, "A strategy was revised", "ยุทธศาสตร์ถูกปรับปรุง"
)
EVENT_TYPES = (STRATEGY_CREATED, STRATEGY_UPDATED)
