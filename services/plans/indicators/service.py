"""Indicators: what a province's (or the nation's) people mean to change, measured per tambon and rolled up
by rules stated on the indicator (over areas, over a fiscal year's quarters); their targets per area and
period. Everyone reads them; the area's national, regional or provincial staff define them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.geo import area_level, covers
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest, paginate
from services.common.resources import AreaResource, confined
from services.plans.indicators import figures, periods, repository
from services.plans.indicators.access import INDICATOR_AUTHORS
from services.plans.indicators.models import AreaRule, AttachedKind, Indicator, Measure, PeriodRule
from services.plans.indicators.repository import INDICATORS
from services.plans.indicators.schemas import (
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    TargetPublic,
    TargetsSet,
)
from services.plans.projects.repository import ACTIVITIES, PROJECTS
from services.plans.strategies.repository import PLANS

MEASURED_IN = ("country", "region", "province")

ATTACHABLE: dict[AttachedKind, AreaResource[Any, Any]] = {
    AttachedKind.plan: PLANS,
    AttachedKind.project: PROJECTS,
    AttachedKind.activity: ACTIVITIES,
}


async def create(session: AsyncSession, principal: Principal, data: IndicatorCreate) -> IndicatorPublic:
    """Define an indicator of an area; its rules must fit its measure (a percent rolls up by ratio and is
    never averaged over periods)."""
    principal.require(INDICATOR_AUTHORS, data.area_code)
    if area_level(data.area_code) not in MEASURED_IN:
        raise errors.at_field(
            errors.ValidationFailed,
            "/area_code",
            Text(
                "An indicator is measured in the nation (TH), a region or a province, tambon by tambon.",
                "ตัวชี้วัดกำหนดระดับประเทศ (TH) ภาค หรือจังหวัด และเก็บข้อมูลรายตำบล",
            ),
        )
    if data.area_rule is None:
        data.area_rule = AreaRule.ratio if data.measure is Measure.percent else AreaRule.sum
    _check_rules(data)
    _check_dimensions(data.dimensions)
    figures.check(data.measure, figures.baseline(data), at="/baseline_", required=False, stored=False)
    await _check_attachment(session, data)
    return await INDICATORS.create(session, principal, data, may=INDICATOR_AUTHORS)


async def get(session: AsyncSession, principal: Principal | None, indicator_id: uuid.UUID) -> IndicatorPublic:
    return await INDICATORS.read(session, principal, indicator_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    indicator_id: uuid.UUID,
    data: IndicatorUpdate,
    expected_version: ExpectedVersions,
) -> IndicatorPublic:
    """Revise an indicator's words or baseline (its measure and rules stay)."""
    indicator = await INDICATORS.locked(session, principal, indicator_id, may=INDICATOR_AUTHORS)
    changes = data.model_dump(exclude_unset=True)
    baseline = figures.baseline(indicator, changes)
    figures.check(indicator.measure, baseline, at="/baseline_", required=False, sent=changes.keys())
    await INDICATORS.revise(session, indicator, data, expected_version=expected_version)
    return INDICATORS.shown(indicator)


async def list_indicators(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    attached_kind: AttachedKind | None,
    attached_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[IndicatorPublic]:
    """Indicators of areas inside `area` (or attached to one plan, project or activity), in creation order."""
    given = (Indicator.attached_id, attached_id), (Indicator.attached_kind, attached_kind)
    statement = INDICATORS.within(confined(principal, area), *given)
    return await INDICATORS.page(session, statement, page)


async def set_targets(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, data: TargetsSet
) -> list[TargetPublic]:
    """Set targets by area, period and dimension (a second time replaces the first, also within one list),
    all or none."""
    indicator = await INDICATORS.get(session, indicator_id)
    principal.require(INDICATOR_AUTHORS, indicator.area_code)
    rows, now = [], utcnow()
    for index, target in enumerate(data.targets):
        at = f"/targets/{index}"
        if not covers(indicator.area_code, target.area_code):
            raise errors.at_field(errors.Conflict, f"{at}/area_code", outside(indicator, target.area_code))
        period = periods.parse(target.period, indicator.period_kind, pointer=f"{at}/period")
        dimension = check_dimension(indicator, target.dimension, pointer=f"{at}/dimension")
        figures.check(indicator.measure, target, at=f"{at}/")
        rows.append(
            {
                "id": uuid.uuid4(),
                "indicator_id": indicator.id,
                "area_code": target.area_code,
                "period": period.name,
                "fiscal_year": period.fiscal_year,
                "quarter": period.quarter,
                "dimension": dimension,
                **target.model_dump(include={"value", "numerator", "denominator", "text"}),
                "set_by": principal.subject,
                "created_at": now,
                "updated_at": now,
            }
        )
    # the same area, period and dimension twice: the later one is set, as if sent after the first
    latest = {(row["area_code"], row["period"], row["dimension"]): row for row in rows}
    stored = await repository.set_targets(session, list(latest.values()))
    return [TargetPublic.model_validate(row) for row in stored]


async def list_targets(
    session: AsyncSession,
    principal: Principal | None,
    indicator_id: uuid.UUID,
    *,
    fiscal_year: int | None,
    area: str | None,
    page: PageRequest,
) -> Page[TargetPublic]:
    indicator = await INDICATORS.visible(session, principal, indicator_id)
    statement = repository.targets_of(indicator.id, fiscal_year=fiscal_year, area=area)
    rows, next_cursor = await paginate(session, statement, model=repository.Target, page=page)
    return Page(items=[TargetPublic.model_validate(row) for row in rows], next_cursor=next_cursor)


def check_dimension(indicator: Indicator, dimension: str | None, *, pointer: str = "/dimension") -> str:
    """The stored form of a figure's dimension ('' for none); 409 unless it is one of the indicator's."""
    if (dimension or "") in (indicator.dimensions or [""]):
        return dimension or ""
    listed = ", ".join(indicator.dimensions) or "none"
    raise errors.at_field(
        errors.Conflict,
        pointer,
        Text(
            f"This indicator's dimensions are: {listed}; every figure names one of them"
            if indicator.dimensions
            else "This indicator has no dimensions: leave `dimension` out.",
            f"มิติของตัวชี้วัดนี้คือ {listed} ทุกตัวเลขต้องระบุมิติใดมิติหนึ่ง"
            if indicator.dimensions
            else "ตัวชี้วัดนี้ไม่มีมิติ ไม่ต้องระบุ dimension",
        ),
    )


def outside(indicator: Indicator, area_code: str) -> Text:
    return Text(
        f"Indicator {indicator.id} is measured in {indicator.area_code}: {area_code} is outside it.",
        f"ตัวชี้วัด {indicator.id} วัดในพื้นที่ {indicator.area_code} แต่ {area_code} อยู่นอกพื้นที่นั้น",
    )


def _check_rules(data: IndicatorCreate) -> None:
    if (data.measure is Measure.percent) != (data.area_rule is AreaRule.ratio):
        raise errors.at_field(
            errors.ValidationFailed,
            "/area_rule",
            Text(
                "A percent rolls up by `ratio` (Σ numerator ÷ Σ denominator), and only a percent does.",
                "ตัวชี้วัดร้อยละรวมผลด้วย ratio (ผลรวมตัวตั้ง ÷ ผลรวมตัวหาร) และใช้ได้กับร้อยละเท่านั้น",
            ),
        )
    if data.measure is Measure.percent and data.period_rule is PeriodRule.average:
        raise errors.at_field(
            errors.ValidationFailed,
            "/period_rule",
            Text(
                "A percent is never averaged: its quarters add up (`sum`) or the last counts (`latest`).",
                "ไม่หาค่าเฉลี่ยของร้อยละ: ให้รวมตัวตั้งและตัวหารทุกไตรมาส (sum) หรือใช้ไตรมาสล่าสุด (latest)",
            ),
        )


def _check_dimensions(dimensions: list[str]) -> None:
    if len(set(dimensions)) < len(dimensions):
        raise errors.at_field(
            errors.ValidationFailed,
            "/dimensions",
            Text("Each dimension is listed once.", "แต่ละมิติระบุได้ครั้งเดียว"),
        )


async def _check_attachment(session: AsyncSession, data: IndicatorCreate) -> None:
    """An attached indicator names a plan, a project or an activity of its own province."""
    if (data.attached_kind is None) != (data.attached_id is None):
        raise errors.at_field(
            errors.ValidationFailed,
            "/attached_id" if data.attached_id is None else "/attached_kind",
            Text(
                "An attachment names both its kind and its id.",
                "การผูกตัวชี้วัดต้องระบุทั้งประเภทและรหัส",
            ),
        )
    if data.attached_kind is None or data.attached_id is None:
        return
    resource = ATTACHABLE[data.attached_kind]
    row = await session.get(resource.model, data.attached_id)
    if row is None:
        raise errors.nothing_at("/attached_id", resource.what, data.attached_id)
    province = resource.area_of(row)[:2]
    if data.area_code != province:
        raise errors.at_field(
            errors.Conflict,
            "/area_code",
            Text(
                f"An indicator of province {province}'s {resource.what.en} is measured in that province.",
                f"ตัวชี้วัดของ{resource.what.th}ในจังหวัด {province} ต้องวัดในจังหวัดนั้น",
            ),
        )
