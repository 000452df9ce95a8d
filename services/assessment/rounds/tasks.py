"""The assessment worker's reader of the plans service's events: each batch of the stream in one transaction
(the consumer group `assessment-evidence`: at least once, in order; `certified.record` is idempotent)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from services.assessment.rounds import certified
from services.common.events.consumer import EventConsumer
from services.common.events.envelope import EventEnvelope
from services.common.settings import get_settings

GROUP = "assessment-evidence"


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
