"""What waits in plans: submitted updates for a reviewer (inside one of their areas, not their own); tambon
periods with approved values and nothing pending, for the tambon to verify; province periods whose every
tambon with data has verified, for the province to certify."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, exists, false, func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.plans.indicators.models import Indicator
from services.plans.reporting.models import (
    ProvincePeriod,
    ProvinceStatus,
    TambonPeriod,
    TambonStatus,
    Update,
    UpdateStatus,
    Value,
)


async def updates_to_review(
    session: AsyncSession, areas: Sequence[str], reviewer: str, *, limit: int
) -> Sequence[Row[Any]]:
    inside = or_(*(within_area(col(Update.area_code), area) for area in areas)) if areas else false()
    statement = (
        select(Update, col(Indicator.title_th))
        .join(Indicator, col(Indicator.id) == col(Update.indicator_id))
        .where(col(Update.status) == UpdateStatus.submitted, inside, col(Update.created_by) != reviewer)
        .order_by(col(Update.submitted_at), col(Update.id))
        .limit(limit)
    )
    return (await session.execute(statement)).all()


def _inside(column: Any, areas: Sequence[str]) -> Any:
    return or_(*(within_area(column, area) for area in areas)) if areas else false()


def _certified(indicator_id: Any, province: Any, period: Any) -> Any:
    return exists().where(
        col(ProvincePeriod.indicator_id) == indicator_id,
        col(ProvincePeriod.province_code) == province,
        col(ProvincePeriod.period) == period,
        col(ProvincePeriod.status) == ProvinceStatus.certified,
    )


def _verified(indicator_id: Any, tambon: Any, period: Any) -> Any:
    return exists().where(
        col(TambonPeriod.indicator_id) == indicator_id,
        col(TambonPeriod.area_code) == tambon,
        col(TambonPeriod.period) == period,
        col(TambonPeriod.status) == TambonStatus.verified,
    )


def _pending(indicator_id: Any, area: Any, period: Any) -> Any:
    return exists().where(
        col(Update.indicator_id) == indicator_id,
        func.left(col(Update.area_code), func.length(area)) == area,
        col(Update.period) == period,
        col(Update.status) == UpdateStatus.submitted,
    )


async def tambons_to_verify(session: AsyncSession, areas: Sequence[str], *, limit: int) -> Sequence[Row[Any]]:
    """(indicator, tambon, period) with approved values in the areas, not verified, nothing waiting for
    review and the province's period not certified; since the newest value, oldest first."""
    indicator, tambon, period = col(Value.indicator_id), col(Value.area_code), col(Value.period)
    since = func.max(col(Value.approved_at)).label("since")
    statement = (
        select(indicator.label("indicator_id"), tambon.label("area_code"), period.label("period"), since)
        .add_columns(col(Indicator.title_th))
        .join(Indicator, col(Indicator.id) == indicator)
        .where(
            _inside(tambon, areas),
            ~_verified(indicator, tambon, period),
            ~_pending(indicator, tambon, period),
            ~_certified(indicator, func.left(tambon, 2), period),
        )
        .group_by(indicator, tambon, period, col(Indicator.title_th))
        .order_by(since, indicator, tambon)
        .limit(limit)
    )
    return (await session.execute(statement)).all()


async def provinces_to_certify(
    session: AsyncSession, areas: Sequence[str], *, limit: int
) -> Sequence[Row[Any]]:
    """(indicator, province, period) with approved values in the areas, every tambon with a value verified,
    nothing waiting for review and not certified; since the last verification, oldest first."""
    indicator, period = col(Value.indicator_id), col(Value.period)
    province = func.left(col(Value.area_code), 2)
    stamp = and_(
        col(TambonPeriod.indicator_id) == indicator,
        col(TambonPeriod.area_code) == col(Value.area_code),
        col(TambonPeriod.period) == period,
        col(TambonPeriod.status) == TambonStatus.verified,
    )
    since = func.max(col(TambonPeriod.verified_at)).label("since")
    statement = (
        select(indicator.label("indicator_id"), province.label("area_code"), period.label("period"), since)
        .add_columns(col(Indicator.title_th))
        .join(Indicator, col(Indicator.id) == indicator)
        .outerjoin(TambonPeriod, stamp)
        .where(
            _inside(col(Value.area_code), areas),
            ~_pending(indicator, province, period),
            ~_certified(indicator, province, period),
        )
        .group_by(indicator, province, period, col(Indicator.title_th))
        .having(func.bool_and(col(TambonPeriod.area_code).is_not(None)))
        .order_by(since, indicator, province)
        .limit(limit)
    )
    return (await session.execute(statement)).all()
