"""Submitted updates that wait for a reviewer: inside one of the reviewer's areas, not their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, false, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.plans.indicators.models import Indicator
from services.plans.reporting.models import Update, UpdateStatus


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
