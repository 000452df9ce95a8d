from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import SQLModel

from services.common.types import LongText, Name, ProvinceCode
from services.plans.strategies.models import StrategyBase


class StrategyCreate(SQLModel):
    province_code: ProvinceCode
    title_th: Name
    vision: LongText = ""


class StrategyPublic(StrategyBase):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
