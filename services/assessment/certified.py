"""Evidence that became certified (or was reopened): learnt from the plans service's events
(`indicator.period.certified`, `indicator.period.reopened`), never from its tables. An indicator value cited
by a round's item or an outcome says whether its province has certified that period. Idempotent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.outcomes.models import Outcome
from services.assessment.rounds.models import Item
from services.assessment.rounds.repository import mark_cited
from services.common.events.envelope import EventEnvelope

CERTIFIED_BY = {"indicator.period.certified": True, "indicator.period.reopened": False}
CITING = ((Item, ("self_evidence", "team_evidence")), (Outcome, ("evidence",)))  # what cites a value
log = structlog.get_logger()


async def record(session: AsyncSession, events: Sequence[EventEnvelope]) -> int:
    """Mark the cited indicator values of each province period certified or not; returns the rows changed."""
    changed = 0
    for event in events:
        certified = CERTIFIED_BY.get(event.type)
        area, period, indicator = (event.data.get(name) for name in ("area_code", "period", "indicator_id"))
        if certified is None or not isinstance(area, str) or len(area) != 2 or not isinstance(period, str):
            continue  # not ours, or a tambon's step
        try:
            indicator_id = uuid.UUID(str(indicator))
        except ValueError:
            log.warning("evidence.certification_event_unreadable", event_id=str(event.id))
            continue
        match = {"kind": "indicator_value", "id": str(indicator_id), "period": period, "province_code": area}
        for model, columns in CITING:
            changed += await mark_cited(session, model, columns, match, certified=certified)
    if changed:
        log.info("evidence.certification_recorded", rows=changed)
    return changed
