"""The rollup in SQL: first each tambon's fiscal year from its quarters (the indicator's period rule), then
each area's figure from its tambons (the area rule), in one statement over the approved values (or the
targets), served by the values' (indicator, fiscal year, area) index."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import Label

from services.common.geo import LEVEL_DIGITS
from services.common.geo.queries import within_area
from services.common.geo.regions import region_map
from services.plans.indicators.models import AreaRule, Indicator, Measure, PeriodKind, PeriodRule, Target
from services.plans.reporting.models import ProvincePeriod, ProvinceStatus, Value
from services.plans.rollups.schemas import Level

VALUES: Table = Value.__table__  # type: ignore[attr-defined]
TARGETS: Table = Target.__table__  # type: ignore[attr-defined]
PROVINCE_PERIODS: Table = ProvincePeriod.__table__  # type: ignore[attr-defined]
FIGURES = ("value", "numerator", "denominator")


def _over_periods(column: Any, rule: PeriodRule, quarter: Any) -> ColumnElement[Any]:
    if rule is PeriodRule.sum:
        return func.sum(column)
    if rule is PeriodRule.average:
        return func.avg(column)
    return func.array_agg(aggregate_order_by(column, quarter.desc()))[1]  # the last quarter's


def _over_areas(column: Any, rule: AreaRule) -> ColumnElement[Any]:
    if rule is AreaRule.average:
        return func.avg(column)
    if rule is AreaRule.min:
        return func.min(column)
    if rule is AreaRule.max:
        return func.max(column)
    return func.sum(column)  # sum; a ratio sums its parts (numerator, denominator) beside it


def area_key(code: Any, level: Level, region_of: dict[str, str]) -> ColumnElement[str]:
    """The code of the `level` area a tambon lies in."""
    if level == "nation":
        return cast(literal("TH"), String)
    if level == "region":
        return case(region_of, value=func.substr(code, 1, 2), else_=literal("unknown"))
    return func.substr(code, 1, LEVEL_DIGITS[level])


def rollup(
    table: Table,
    indicator: Indicator,
    *,
    fiscal_year: int,
    level: Level,
    area: str | None,
    certified_only: bool = False,
    tambons_only: bool = False,
) -> Any:
    """Each `level` area's figure (and its reporting tambons) from `table`'s tambon rows of one fiscal year:
    per tambon over its periods (a yearly indicator has one period a year: nothing to make), then over the
    area's tambons. Values are only ever a tambon's; targets may be set higher (`tambons_only`)."""
    where = [table.c.indicator_id == indicator.id, table.c.fiscal_year == fiscal_year]
    if tambons_only:
        where.append(func.length(table.c.area_code) == LEVEL_DIGITS["tambon"])
    if area:
        where.append(within_area(table.c.area_code, area))
    if certified_only:
        where.append(
            exists().where(
                PROVINCE_PERIODS.c.indicator_id == table.c.indicator_id,
                PROVINCE_PERIODS.c.province_code == func.substr(table.c.area_code, 1, 2),
                PROVINCE_PERIODS.c.period == table.c.period,
                PROVINCE_PERIODS.c.status == ProvinceStatus.certified,
            )
        )
    tambons: Any = table
    if indicator.period_kind is PeriodKind.quarter:
        tambons = (
            select(
                table.c.area_code,
                table.c.dimension,
                *(
                    _over_periods(table.c[name], indicator.period_rule, table.c.quarter).label(name)
                    for name in FIGURES
                ),
            )
            .where(and_(*where))
            .group_by(table.c.area_code, table.c.dimension)
            .subquery("per_tambon")
        )
        where = []
    key: Label[str] = area_key(tambons.c.area_code, level, dict(region_map())).label("area")
    percent = indicator.measure is Measure.percent
    numerator = func.sum(tambons.c.numerator) if percent else null()
    denominator = func.sum(tambons.c.denominator) if percent else null()
    return (
        select(
            key,
            tambons.c.dimension,
            _actual(indicator, _over_areas(tambons.c.value, indicator.area_rule), numerator, denominator),
            func.round(numerator, 4).label("numerator"),
            func.round(denominator, 4).label("denominator"),
            func.count().label("reporting"),
        )
        .where(and_(true(), *where))
        .group_by(key, tambons.c.dimension)
    )


def _actual(indicator: Indicator, value: Any, numerator: Any, denominator: Any) -> Label[Any]:
    """The figure shown, to four places: a percent's 100 × numerator ÷ denominator, a unit's value; none for
    words."""
    if indicator.measure is Measure.qualitative:
        return null().label("actual")
    if indicator.measure is Measure.percent:
        return func.round(100 * numerator / func.nullif(denominator, 0), 4).label("actual")
    return func.round(value, 4).label("actual")


async def figures(
    session: AsyncSession,
    indicator: Indicator,
    *,
    fiscal_year: int,
    level: Level,
    area: str | None,
    certified_only: bool,
    codes: list[str],
) -> dict[tuple[str, str, str], Any]:
    """In one round trip: each area's actual (`values`), its tambons' targets rolled the same way
    (`targets`) and the targets set for the area itself (`own`), by (kind, area, dimension)."""
    kinds = [
        rollup(
            VALUES, indicator, fiscal_year=fiscal_year, level=level, area=area, certified_only=certified_only
        ),
        rollup(TARGETS, indicator, fiscal_year=fiscal_year, level=level, area=area, tambons_only=True),
        _own_targets(indicator, fiscal_year=fiscal_year, codes=codes),
    ]
    statement = union_all(
        *(
            kind.add_columns(literal(name).label("kind"))
            for name, kind in zip(("values", "targets", "own"), kinds, strict=True)
        )
    )
    rows = (await session.execute(statement)).all()
    return {(row.kind, row.area, row.dimension): row for row in rows}


def _own_targets(indicator: Indicator, *, fiscal_year: int, codes: list[str]) -> Any:
    """Targets set for the areas themselves (not rolled from tambons), over the year's periods."""
    return (
        select(
            TARGETS.c.area_code.label("area"),
            TARGETS.c.dimension,
            _actual(
                indicator,
                *(
                    _over_periods(TARGETS.c[name], indicator.period_rule, TARGETS.c.quarter)
                    for name in FIGURES
                ),
            ),
            null().label("numerator"),
            null().label("denominator"),
            literal(0).label("reporting"),
        )
        .where(
            TARGETS.c.indicator_id == indicator.id,
            TARGETS.c.fiscal_year == fiscal_year,
            TARGETS.c.area_code.in_(codes),
        )
        .group_by(TARGETS.c.area_code, TARGETS.c.dimension)
    )
