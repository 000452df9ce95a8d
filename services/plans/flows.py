"""Work that spans the plans' sub-domains (docs/architecture.md, the domain template)."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.plans.indicators import service as indicators
from services.plans.indicators.schemas import TargetPublic, TargetsSet
from services.plans.reporting import chain


async def set_targets(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, data: TargetsSet
) -> list[TargetPublic]:
    """Set an indicator's targets (all or none), but none inside a province whose period is certified: the
    signed period keeps its targets as it keeps its figures, until a national user reopens it (409
    period-locked)."""
    targets = await indicators.set_targets(session, principal, indicator_id, data)
    await chain.refuse_if_certified(session, indicator_id, {(t.area_code, t.period) for t in targets})
    return targets
