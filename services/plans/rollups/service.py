"""Rollups: an indicator's actual against its target per area of one level, from the tambons' approved (and,
when asked, certified) values by the indicator's rules, with how many of the area's tambons reported. A
tambon that reported zero counts; one that did not report is missing (it lowers coverage, never the sum)."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.calendar import current_fiscal_year
from services.common.geo import covers, tambons_within
from services.common.geo.areas import LEVEL_DIGITS
from services.common.geo.regions import region_map_revision, region_of_province
from services.common.resources import confined
from services.plans.indicators.models import AreaRule, PeriodRule
from services.plans.rollups import repository
from services.plans.rollups.repository import Shape
from services.plans.rollups.schemas import Level, RollupItem, RollupPublic

PERIOD_WORDS = {
    PeriodRule.sum: "the sum of its periods",
    PeriodRule.latest: "its latest period",
    PeriodRule.average: "the mean of its periods",
}
AREA_WORDS = {
    AreaRule.sum: "the sum over the area's reporting tambons",
    AreaRule.average: "the mean over the area's reporting tambons",
    AreaRule.min: "the least of the area's reporting tambons",
    AreaRule.max: "the greatest of the area's reporting tambons",
    AreaRule.ratio: "100 × Σ numerator ÷ Σ denominator over the area's reporting tambons",
}


def formula(shape: Shape) -> str:
    return (
        f"Each tambon's fiscal year is {PERIOD_WORDS[shape.period_rule]} (approved values only); "
        f"an area's actual is {AREA_WORDS[shape.area_rule]}."
    )


async def rollup(
    session: AsyncSession,
    principal: Principal | None,
    indicator_id: uuid.UUID,
    *,
    level: Level,
    fiscal_year: int | None,
    area: str | None,
    certified_only: bool,
) -> RollupPublic:
    """Every `level` area inside the indicator's area (and `area`, when given), with its actual, target and
    coverage for the fiscal year (the current one by default)."""
    rules = await repository.rules_of(session, indicator_id)
    area = confined(principal, area)
    year = fiscal_year or current_fiscal_year()
    scope = _scope(rules.area_code, area)
    expected = _expected(rules.area_code, scope, level, region_map_revision())  # read-only
    rows = await repository.figures(
        session,
        rules,
        fiscal_year=year,
        level=level,
        area=scope,
        certified_only=certified_only,
        codes=list(expected),
    )
    items = [
        _item(
            code,
            dimension,
            rows.get(("values", code, dimension)),
            rows.get(("own", code, dimension)) or rows.get(("targets", code, dimension)),
            count,
        )
        for code, count in expected.items()
        for dimension in (rules.dimensions or ("",))
    ]
    return RollupPublic.model_construct(  # its items are built from the database's figures as they are shown
        indicator_id=rules.indicator_id,
        level=level,
        fiscal_year=year,
        certified_only=certified_only,
        measure=rules.shape.measure,
        area_rule=rules.shape.area_rule,
        period_rule=rules.shape.period_rule,
        formula=formula(rules.shape),
        items=items,
    )


def _scope(indicator_area: str, asked: str | None) -> str | None:
    """The narrower of the indicator's area and the one asked for (None: the whole country)."""
    if asked is None or covers(asked, indicator_area):
        return None if indicator_area == "TH" else indicator_area
    return asked


@cache
def _expected(indicator_area: str, scope: str | None, level: Level, regions: int) -> dict[str, int]:
    """Each `level` area inside the scope, with the number of its tambons the indicator measures (kept for
    each revision of the region map)."""
    counts: dict[str, int] = {}
    for tambon in tambons_within(scope or "TH"):
        if not covers(indicator_area, tambon):
            continue
        code = _area_of(tambon, level)
        counts[code] = counts.get(code, 0) + 1
    return counts


def _area_of(tambon: str, level: Level) -> str:
    if level == "nation":
        return "TH"
    if level == "region":
        return region_of_province(tambon[:2]) or "unknown"
    return tambon[: LEVEL_DIGITS[level]]


def _item(code: str, dimension: str, value: Any, target: Any, expected: int) -> RollupItem:
    """One area's figure from its rows' (actual, numerator, denominator, reporting)."""
    actual, numerator, denominator, reporting = value if value is not None else (None, None, None, 0)
    return RollupItem(
        code,
        dimension or None,
        actual,
        numerator,
        denominator,
        target[0] if target is not None else None,
        reporting,
        expected,
        round(reporting / expected, 4) if expected else 0.0,
    )
