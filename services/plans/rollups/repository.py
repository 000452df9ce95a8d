"""The rollup in SQL: first each tambon's fiscal year from its quarters (the indicator's period rule), then
each area's figure from its tambons (the area rule), in one statement over the approved values (or the
targets), served by the values' (indicator, fiscal year, area) index."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Table,
    and_,
    any_,
    bindparam,
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
from sqlalchemy.sql.elements import Label
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.db import CompiledStatement
from services.common.geo import LEVEL_DIGITS
from services.common.geo.regions import REGIONS, provinces_of_region, region_map, region_map_revision
from services.plans.indicators.models import AreaRule, Indicator, Measure, PeriodKind, PeriodRule, Target
from services.plans.indicators.repository import INDICATORS
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


@dataclass(frozen=True)
class Shape:
    """What of an indicator decides the rollup's statement (its rules), not which indicator it is."""

    measure: Measure
    area_rule: AreaRule
    period_rule: PeriodRule
    period_kind: PeriodKind

    @classmethod
    def of(cls, indicator: Indicator) -> Shape:
        return cls(indicator.measure, indicator.area_rule, indicator.period_rule, indicator.period_kind)


@dataclass(frozen=True)
class Rules:
    """What a rollup needs of an indicator. None of it changes once the indicator is defined (the database
    refuses to, plans_0011) and no indicator is deleted, so a process reads it once."""

    indicator_id: uuid.UUID
    area_code: str
    dimensions: tuple[str, ...]
    shape: Shape


RULES_KEPT = 4096  # indicators a process keeps the rules of
_rules: dict[uuid.UUID, Rules] = {}


async def rules_of(session: AsyncSession, indicator_id: uuid.UUID) -> Rules:
    """The indicator's rules (404 when there is none): read from the database on first use only."""
    rules = _rules.get(indicator_id)
    if rules is None:
        indicator = await INDICATORS.get(session, indicator_id)
        if len(_rules) >= RULES_KEPT:
            _rules.clear()
        rules = Rules(indicator.id, indicator.area_code, tuple(indicator.dimensions), Shape.of(indicator))
        _rules[indicator_id] = rules
    return rules


def rollup(
    table: Table, shape: Shape, *, level: Level, scoped: bool, certified_only: bool, tambons_only: bool
) -> Any:
    """Each `level` area's figure (and its reporting tambons) from `table`'s tambon rows of one fiscal year:
    per tambon over its periods (a yearly indicator has one period a year: nothing to make), then over the
    area's tambons. Values are only ever a tambon's; targets may be set higher (`tambons_only`). The
    indicator, the year and the scope are parameters (`:indicator_id`, `:fiscal_year`, `:digits` +
    `:prefixes`), so one statement serves every indicator of a shape."""
    where = [
        table.c.indicator_id == bindparam("indicator_id"),
        table.c.fiscal_year == bindparam("fiscal_year"),
    ]
    if tambons_only:
        where.append(func.length(table.c.area_code) == LEVEL_DIGITS["tambon"])
    if scoped:
        prefixes = bindparam("prefixes", type_=ARRAY(String))
        where.append(func.substr(table.c.area_code, 1, bindparam("digits")) == any_(prefixes))
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
    if shape.period_kind is PeriodKind.quarter:
        tambons = (
            select(
                table.c.area_code,
                table.c.dimension,
                *(
                    _over_periods(table.c[name], shape.period_rule, table.c.quarter).label(name)
                    for name in FIGURES
                ),
            )
            .where(and_(*where))
            .group_by(table.c.area_code, table.c.dimension)
            .subquery("per_tambon")
        )
        where = []
    key: Label[str] = area_key(tambons.c.area_code, level, dict(region_map())).label("area")
    percent = shape.measure is Measure.percent
    numerator = func.sum(tambons.c.numerator) if percent else null()
    denominator = func.sum(tambons.c.denominator) if percent else null()
    return (
        select(
            key,
            tambons.c.dimension,
            _actual(shape, _over_areas(tambons.c.value, shape.area_rule), numerator, denominator),
            func.round(numerator, 4).label("numerator"),
            func.round(denominator, 4).label("denominator"),
            func.count().label("reporting"),
        )
        .where(and_(true(), *where))
        .group_by(key, tambons.c.dimension)
    )


def _actual(shape: Shape, value: Any, numerator: Any, denominator: Any) -> Label[Any]:
    """The figure shown, to four places: a percent's 100 × numerator ÷ denominator, a unit's value; none for
    words."""
    if shape.measure is Measure.qualitative:
        return null().label("actual")
    if shape.measure is Measure.percent:
        return func.round(100 * numerator / func.nullif(denominator, 0), 4).label("actual")
    return func.round(value, 4).label("actual")


@lru_cache(maxsize=256)
def figures_statement(
    shape: Shape, level: Level, *, scoped: bool, certified_only: bool, regions: int
) -> CompiledStatement:
    """The one statement of a shape, level and scope, compiled once (no per-request SQLAlchemy work; none of
    its columns needs a result processor), for each revision of the region map (`regions`)."""
    kinds = [
        rollup(VALUES, shape, level=level, scoped=scoped, certified_only=certified_only, tambons_only=False),
        rollup(TARGETS, shape, level=level, scoped=scoped, certified_only=False, tambons_only=True),
        _own_targets(shape),
    ]
    return CompiledStatement(
        union_all(
            *(
                kind.add_columns(literal(name).label("kind"))
                for name, kind in zip(("values", "targets", "own"), kinds, strict=True)
            )
        )
    )


async def figures(
    session: AsyncSession,
    rules: Rules,
    *,
    fiscal_year: int,
    level: Level,
    area: str | None,
    certified_only: bool,
    codes: list[str],
) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """In one round trip: each area's actual (`values`), its tambons' targets rolled the same way
    (`targets`) and the targets set for the area itself (`own`), by (kind, area, dimension) → (actual,
    numerator, denominator, reporting)."""
    statement = figures_statement(
        rules.shape,
        level,
        scoped=area is not None,
        certified_only=certified_only,
        regions=region_map_revision(),
    )
    parameters: dict[str, Any] = {
        "indicator_id": rules.indicator_id,
        "fiscal_year": fiscal_year,
        "codes": codes,
    }
    if area is not None:
        parameters |= (
            {"digits": 2, "prefixes": provinces_of_region(area)}
            if area in REGIONS
            else {"digits": len(area), "prefixes": [area]}
        )
    rows = await statement.fetch(session, **parameters)
    return {
        (kind, code, dimension): (actual, numerator, denominator, reporting)
        for code, dimension, actual, numerator, denominator, reporting, kind in rows
    }


def _own_targets(shape: Shape) -> Any:
    """Targets set for the areas themselves (not rolled from tambons), over the year's periods."""
    return (
        select(
            TARGETS.c.area_code.label("area"),
            TARGETS.c.dimension,
            _actual(
                shape,
                *(_over_periods(TARGETS.c[name], shape.period_rule, TARGETS.c.quarter) for name in FIGURES),
            ),
            null().label("numerator"),
            null().label("denominator"),
            literal(0).label("reporting"),
        )
        .where(
            TARGETS.c.indicator_id == bindparam("indicator_id"),
            TARGETS.c.fiscal_year == bindparam("fiscal_year"),
            TARGETS.c.area_code == any_(bindparam("codes", type_=ARRAY(String))),
        )
        .group_by(TARGETS.c.area_code, TARGETS.c.dimension)
    )
