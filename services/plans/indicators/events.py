"""An indicator's events: defined, and revised (its values' and periods' events are the reporting chain's)."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.common.events.registry import EventData, EventType
from services.common.types import Quantity
from services.plans.indicators.models import (
    AreaRule,
    AttachedKind,
    Direction,
    Measure,
    PeriodKind,
    PeriodRule,
)


class IndicatorData(EventData):
    """An indicator's public state after the change."""

    id: uuid.UUID
    area_code: str
    title_th: str
    title_en: str | None
    unit_th: str | None
    measure: Measure
    direction: Direction
    period_kind: PeriodKind
    area_rule: AreaRule
    period_rule: PeriodRule
    dimensions: list[str]
    baseline_year: int | None
    baseline_value: Quantity | None
    baseline_numerator: Quantity | None
    baseline_denominator: Quantity | None
    attached_kind: AttachedKind | None
    attached_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


INDICATOR_CREATED = EventType(
    "indicator.created", "indicator", 1, IndicatorData, "An indicator was defined", "มีการกำหนดตัวชี้วัด"
)
INDICATOR_UPDATED = EventType(
    "indicator.updated", "indicator", 1, IndicatorData, "An indicator was revised", "ตัวชี้วัดถูกปรับปรุง"
)
EVENT_TYPES = (INDICATOR_CREATED, INDICATOR_UPDATED)
