"""The data chain as stored: updates, approved values, the period stamps, and the locks that keep one
tambon's (and one province's) period consistent while it is written, verified or certified.

Lock order, for every writer: the update row (when there is one), then the province's period, then the
tambon's. A tambon-level step holds the province's lock shared, so tambons move at once while a
certification, which holds it exclusively, waits for them (and they for it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.common.i18n import Text
from services.common.resources import get_or_404, in_area, where_given
from services.plans.reporting.models import (
    ProvincePeriod,
    TambonPeriod,
    TambonStatus,
    Update,
    UpdateStatus,
    Value,
)

UPDATE = Text("indicator update", "ข้อมูลตัวชี้วัด")


async def get_update(session: AsyncSession, update_id: uuid.UUID, *, for_update: bool = False) -> Update:
    return await get_or_404(session, Update, update_id, what=UPDATE, for_update=for_update)


async def lock_province_period(
    session: AsyncSession, indicator_id: uuid.UUID, province: str, period: str, *, shared: bool
) -> None:
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    key = f"indicator-province:{indicator_id}:{province}:{period}"
    await session.execute(text(f"SELECT {function}(hashtextextended(:key, 0))"), {"key": key})


async def lock_tambon_period(
    session: AsyncSession, indicator_id: uuid.UUID, tambon: str, period: str
) -> None:
    key = f"indicator-tambon:{indicator_id}:{tambon}:{period}"
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


async def tambon_period(
    session: AsyncSession, indicator_id: uuid.UUID, tambon: str, period: str
) -> TambonPeriod | None:
    key = {"indicator_id": indicator_id, "area_code": tambon, "period": period}
    return await session.get(TambonPeriod, key)


async def province_period(
    session: AsyncSession, indicator_id: uuid.UUID, province: str, period: str
) -> ProvincePeriod | None:
    key = {"indicator_id": indicator_id, "province_code": province, "period": period}
    return await session.get(ProvincePeriod, key)


async def upsert_value(session: AsyncSession, row: dict[str, Any]) -> Value:
    """The approved figure becomes the tambon's value for its period and dimension (replacing one before)."""
    values = insert(Value).values(**row)
    statement: Any = values.on_conflict_do_update(
        constraint="uq_indicator_values_key",
        set_={
            **{
                name: values.excluded[name]
                for name in ("value", "numerator", "denominator", "text", "update_id", "approved_by")
            },
            "approved_at": values.excluded.approved_at,
            "updated_at": values.excluded.updated_at,
            "version": Value.__table__.c.version + 1,  # type: ignore[attr-defined]
        },
    ).returning(*Value.__table__.c)  # type: ignore[attr-defined]
    row = (await session.exec(statement)).mappings().one()
    return Value.model_validate(dict(row))


async def pending_updates(
    session: AsyncSession, indicator_id: uuid.UUID, area: str, period: str
) -> Sequence[uuid.UUID]:
    """Submitted updates inside `area` (a tambon or a province) for the period, waiting for a reviewer."""
    statement = select(Update.id).where(
        Update.indicator_id == indicator_id,
        Update.period == period,
        Update.status == UpdateStatus.submitted,
        within_area(col(Update.area_code), area),
    )
    return (await session.exec(statement.order_by(col(Update.created_at)))).all()


async def values_count(session: AsyncSession, indicator_id: uuid.UUID, tambon: str, period: str) -> int:
    statement = select(func.count()).where(
        Value.indicator_id == indicator_id, Value.area_code == tambon, Value.period == period
    )
    return int((await session.exec(statement)).one())


async def tambons_with_data(
    session: AsyncSession, indicator_id: uuid.UUID, province: str, period: str
) -> list[str]:
    """Tambons of the province with an approved value or a submitted update in the period, in code order."""
    values = select(Value.area_code).where(
        Value.indicator_id == indicator_id,
        Value.period == period,
        within_area(col(Value.area_code), province),
    )
    waiting = select(Update.area_code).where(
        Update.indicator_id == indicator_id,
        Update.period == period,
        Update.status == UpdateStatus.submitted,
        within_area(col(Update.area_code), province),
    )
    union = values.union(waiting).subquery()
    return list((await session.exec(select(union.c.area_code).order_by(union.c.area_code))).all())


async def verified_tambons(
    session: AsyncSession, indicator_id: uuid.UUID, province: str, period: str
) -> set[str]:
    statement = select(TambonPeriod.area_code).where(
        TambonPeriod.indicator_id == indicator_id,
        TambonPeriod.period == period,
        TambonPeriod.status == TambonStatus.verified,
        within_area(col(TambonPeriod.area_code), province),
    )
    return set((await session.exec(statement)).all())


def updates_of(
    indicator_id: uuid.UUID, *, area: str | None, period: str | None, status: UpdateStatus | None
) -> Any:
    statement = in_area(select(Update).where(Update.indicator_id == indicator_id), Update.area_code, area)
    return where_given(statement, (Update.period, period or None), (Update.status, status))


def values_of(
    indicator_id: uuid.UUID, *, area: str | None, period: str | None, fiscal_year: int | None
) -> Any:
    statement = in_area(select(Value).where(Value.indicator_id == indicator_id), Value.area_code, area)
    return where_given(statement, (Value.period, period or None), (Value.fiscal_year, fiscal_year))
