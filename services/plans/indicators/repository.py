"""Indicators and their targets as stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource, in_area, where_given
from services.plans.indicators.models import Indicator, Target

__all__ = ["INDICATORS", "Target", "attached_to", "set_targets", "targets_of"]
from services.plans.indicators.schemas import IndicatorPublic

INDICATORS = AreaResource(
    model=Indicator,
    public=IndicatorPublic,
    area_field="area_code",
    what=Text("indicator", "ตัวชี้วัด"),
    aggregate="indicator",
)
TARGETS = Target.__table__  # type: ignore[attr-defined]


async def set_targets(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> Sequence[Target]:
    """Insert or replace targets by their key (indicator, area, period, dimension)."""
    values = insert(Target).values(list(rows))
    statement: Any = values.on_conflict_do_update(
        constraint="uq_indicator_targets_key",
        set_={
            name: values.excluded[name]
            for name in ("value", "numerator", "denominator", "text", "set_by", "updated_at")
        },
    ).returning(*Target.__table__.c)  # type: ignore[attr-defined]
    rows = (await session.exec(statement)).mappings().all()
    return [Target.model_validate(dict(row)) for row in rows]


def targets_of(indicator_id: uuid.UUID, *, fiscal_year: int | None, area: str | None) -> Any:
    statement = in_area(select(Target).where(Target.indicator_id == indicator_id), Target.area_code, area)
    return where_given(statement, (Target.fiscal_year, fiscal_year))


def attached_to(kind: str, attached_id: uuid.UUID) -> Any:
    return select(Indicator).where(Indicator.attached_kind == kind, Indicator.attached_id == attached_id)
