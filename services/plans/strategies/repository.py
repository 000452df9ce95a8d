"""Strategies as stored: one row per province's strategy, found by id or listed by province."""

from __future__ import annotations

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.strategies.models import Strategy
from services.plans.strategies.schemas import StrategyPublic

STRATEGIES = AreaResource(
    model=Strategy,
    public=StrategyPublic,
    area_field="province_code",
    what=Text("strategy", "ยุทธศาสตร์"),
    aggregate="strategy",
)
