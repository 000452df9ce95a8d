"""The assessment worker's reader of the plans service's events: each batch of the stream in one transaction
(the consumer group `assessment-evidence`: at least once, in order; `certified.record` is idempotent)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Sequence
from typing import Any

from arq import Retry
from redis.asyncio import Redis

from services.assessment.rounds import certified, reports
from services.assessment.rounds.models import ReportStatus, RoundReport
from services.common.clock import utcnow
from services.common.events.consumer import EventConsumer
from services.common.events.envelope import EventEnvelope
from services.common.settings import get_settings

GROUP = "assessment-evidence"
NOT_YET_COMMITTED_RETRY_SECONDS = 1


async def build_round_report(ctx: dict[str, Any], report_id: str) -> str:
    """Build a round's XLSX; each step's progress is saved in a transaction of its own."""
    sessions = ctx["sessions"]
    async with sessions() as session:
        report = await session.get(RoundReport, uuid.UUID(report_id))
        if report is None:  # the request that queued it has not committed yet (or rolled back)
            raise Retry(defer=NOT_YET_COMMITTED_RETRY_SECONDS)
        if report.status is not ReportStatus.queued:
            return str(report.status.value)
        report.status, report.updated_at = ReportStatus.running, utcnow()
        await session.commit()

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


async def start_certifications(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    sessions = ctx["sessions"]

    async def handle(events: Sequence[EventEnvelope]) -> None:
        async with sessions() as session:
            await certified.record(session, events)
            await session.commit()

    redis = Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
    consumer = EventConsumer(
        redis,
        stream=settings.events_stream,
        group=GROUP,
        consumer=f"{socket.gethostname()}-{os.getpid()}",
        handle_batch=handle,
        start_id="0",
        linger_seconds=settings.events_linger_seconds,
    )
    ctx["certifications_redis"] = redis
    ctx["certifications_task"] = asyncio.create_task(consumer.run(), name="assessment-evidence")


async def stop_certifications(ctx: dict[str, Any]) -> None:
    if task := ctx.get("certifications_task"):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if redis := ctx.get("certifications_redis"):
        await redis.aclose()
