"""The assessment worker's jobs: a round's XLSX report (its reader of the plans service's certifications,
consumer group `assessment-evidence`, is `services/assessment/certified.py`)."""

from __future__ import annotations

import uuid
from typing import Any

from services.assessment.rounds import reports
from services.assessment.rounds.models import ReportStatus, RoundReport
from services.common import jobs
from services.common.clock import utcnow


async def build_round_report(ctx: dict[str, Any], report_id: str) -> str:
    """Build a round's XLSX; each step's progress is saved in a transaction of its own."""
    sessions = ctx["sessions"]
    taken = await jobs.claim(
        sessions, RoundReport, report_id, queued=ReportStatus.queued, running=ReportStatus.running
    )
    if taken is not None:
        return taken

    async def step(done: int) -> None:
        async with sessions() as side:
            stored = await side.get(RoundReport, uuid.UUID(report_id))
            stored.steps_done, stored.updated_at = done, utcnow()
            await side.commit()

    try:
        async with sessions() as session:
            report = await session.get(RoundReport, uuid.UUID(report_id))
            await reports.build(session, report, step)
            await session.commit()
    except Exception:
        async with sessions() as side:
            stored = await side.get(RoundReport, uuid.UUID(report_id))
            stored.status, stored.finished_at, stored.updated_at = ReportStatus.failed, utcnow(), utcnow()
            await side.commit()
        raise
    return ReportStatus.completed.value
