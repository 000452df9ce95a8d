"""Reading what the relays published: the stream `khabuan:events`, filtered to a test's own aggregates."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from redis.asyncio import Redis

from services.common.events import EventEnvelope

STREAM = "khabuan:events"


async def stream_events(redis: Redis, aggregate_ids: Collection[str]) -> list[EventEnvelope]:
    """Every entry of these aggregates, in stream order (repeats included)."""
    entries = await redis.xrange(STREAM)
    events = [EventEnvelope.from_stream_fields(fields) for _, fields in entries]
    return [event for event in events if event.aggregate_id in aggregate_ids]


async def wait_for_events(
    redis: Redis, aggregate_ids: Collection[str], count: int, timeout: float = 30.0
) -> list[EventEnvelope]:
    """Poll until `count` events of these aggregates are on the stream, then a moment to catch repeats."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        events = await stream_events(redis, aggregate_ids)
        if len(events) >= count:
            await asyncio.sleep(0.5)
            return await stream_events(redis, aggregate_ids)
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{len(events)} of {count} events after {timeout} s: {events}")
        await asyncio.sleep(0.1)
