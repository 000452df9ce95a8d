from __future__ import annotations

import uuid
from datetime import datetime

from services.common.types import LongText, Name, PatchModel, ProvinceCode, RequestBody
from services.plans.strategies.models import StrategyBase


class StrategyCreate(RequestBody):
    province_code: ProvinceCode
    title_th: Name
    vision: LongText = ""


class StrategyUpdate(PatchModel):
    """Fields left out stay as they are; a strategy stays with its province."""

    title_th: Name | None = None
    vision: LongText | None = None


class StrategyPublic(StrategyBase):
    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime
