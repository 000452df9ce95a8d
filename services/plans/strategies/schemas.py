from __future__ import annotations

from services.common.resources import Shown
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


class StrategyPublic(Shown, StrategyBase):
    pass
