"""Reading the event stream through a consumer group: each entry goes to one consumer of the group, is
acknowledged once handled, and is claimed by another consumer if its first consumer died before acking.

A handler must be idempotent (delivery is at least once: de-duplicate by `event.id`). A handler that raises
leaves its entry pending; this consumer retries its own pending entries before it reads anything newer (so an
aggregate's events are not handled out of order), and if it dies another consumer claims them once they have
been idle `min_idle_ms`.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

import structlog
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from services.common.events.envelope import EventEnvelope

Handler = Callable[[EventEnvelope], Awaitable[None]]
BatchHandler = Callable[[Sequence[EventEnvelope]], Awaitable[None]]
Entry = tuple[bytes, dict[bytes, bytes] | None]
log = structlog.get_logger()


class EventConsumer:
    def __init__(
        self,
        redis: Redis,
        *,
        stream: str,
        group: str,
        consumer: str,
        handle: Handler | None = None,
        handle_batch: BatchHandler | None = None,
        start_id: str = "0",
        min_idle_ms: int = 60_000,
        block_ms: int = 1_000,
        count: int = 100,
        claim_every_seconds: float = 30.0,
        linger_seconds: float = 0.0,
        types: Collection[str] | None = None,
    ) -> None:
        """`start_id` is where a new group starts: "0" for everything the stream still holds, "$" for new.

        Give `handle` (one event at a time; a failure leaves only that entry pending) or `handle_batch`
        (every entry of a read at once, e.g. in one transaction; a failure leaves them all pending).
        After a part-full read the consumer waits `linger_seconds` before reading again, so a busy stream
        is handled in batches; an event arriving while the stream is quiet is still read at once.
        With `types`, only those events reach the handler: the others are acknowledged unread (not decoded).
        """
        if (handle is None) == (handle_batch is None):
            raise ValueError("give exactly one of handle and handle_batch")
        self.redis = redis
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.handle = handle
        self.handle_batch = handle_batch
        self.start_id = start_id
        self.min_idle_ms = min_idle_ms
        self.block_ms = block_ms
        self.count = count
        self.claim_every_seconds = claim_every_seconds
        self.linger_seconds = linger_seconds
        self.types = None if types is None else frozenset(type_.encode() for type_ in types)
        self.backlog = False  # a handler failed: this consumer's own pending entries go first
        self.failures = 0

    async def ensure_group(self) -> None:
        """Create the group (and the stream, if no event was ever published) unless it exists."""
        try:
            await self.redis.xgroup_create(self.stream, self.group, id=self.start_id, mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def read_new(self) -> int:
        """Wait up to `block_ms` for entries never delivered to the group; handle and ack them."""
        return await self._handle_all(await self._new_entries())

    async def _new_entries(self) -> list[Entry]:
        response = await self.redis.xreadgroup(
            self.group, self.consumer, {self.stream: ">"}, count=self.count, block=self.block_ms
        )
        return [entry for _, stream_entries in response or [] for entry in stream_entries]

    async def read_own_pending(self) -> int:
        """Retry the entries this consumer read but could not handle, oldest first, before reading on:
        reading on past a failed entry would hand its aggregate's later events over before it."""
        response = await self.redis.xreadgroup(
            self.group, self.consumer, {self.stream: "0"}, count=self.count
        )
        entries: list[Entry] = [entry for _, stream_entries in response or [] for entry in stream_entries]
        self.backlog = len(entries) >= self.count  # a full read: more may wait behind it
        return await self._handle_all(entries)

    async def claim_stale(self) -> int:
        """Take over entries pending longer than `min_idle_ms` (their consumer died or failed)."""
        handled, cursor = 0, "0-0"
        while True:
            reply: Sequence[Any] = await self.redis.xautoclaim(
                self.stream, self.group, self.consumer, self.min_idle_ms, start_id=cursor, count=self.count
            )
            cursor, entries = reply[0], reply[1]
            handled += await self._handle_all(entries)
            if cursor in (b"0-0", "0-0"):
                return handled

    async def run(self) -> None:
        """Claim what dead consumers left, then read new entries, claiming again every so often."""
        await self.ensure_group()
        loop = asyncio.get_running_loop()
        next_claim = loop.time()
        while True:
            try:
                if loop.time() >= next_claim:
                    await self.claim_stale()
                    next_claim = loop.time() + self.claim_every_seconds
                if self.backlog:
                    failures = self.failures
                    await self.read_own_pending()
                    if self.failures > failures:
                        await asyncio.sleep(1.0)  # still failing (e.g. the database is away): back off
                    continue
                entries = await self._new_entries()
                await self._handle_all(entries)
                if 0 < len(entries) < self.count and self.linger_seconds:
                    await asyncio.sleep(self.linger_seconds)
            except RedisError as exc:
                log.warning("events.consumer_failed", group=self.group, error=repr(exc))
                await asyncio.sleep(1.0)

    async def _handle_all(self, entries: Sequence[Entry]) -> int:
        readable: list[tuple[bytes, EventEnvelope]] = []
        passed = {
            entry_id
            for entry_id, fields in entries
            if not fields  # trimmed from the stream (MAXLEN) while it was pending: nothing left to handle
            or (self.types is not None and fields.get(b"type") not in self.types)  # not what it reads
        }
        if passed:
            await self.redis.xack(self.stream, self.group, *passed)
        for entry_id, fields in entries:
            if not fields or entry_id in passed:
                continue
            try:
                readable.append((entry_id, EventEnvelope.from_stream_fields(fields)))
            except (KeyError, ValidationError):
                log.error("events.unreadable_entry", group=self.group, entry_id=entry_id)
                await self.redis.xack(self.stream, self.group, entry_id)
        if self.handle_batch is not None:
            return await self._handle_batch(self.handle_batch, readable)
        handled = 0
        for entry_id, event in readable:
            try:
                assert self.handle is not None
                await self.handle(event)
            except Exception as exc:  # left pending: retried before anything newer is read
                log.warning(
                    "events.handler_failed", group=self.group, event_id=str(event.id), error=repr(exc)
                )
                self.backlog = True
                self.failures += 1
                continue
            await self.redis.xack(self.stream, self.group, entry_id)
            handled += 1
        return handled

    async def _handle_batch(self, handle: BatchHandler, readable: list[tuple[bytes, EventEnvelope]]) -> int:
        if not readable:
            return 0
        try:
            await handle([event for _, event in readable])
        except Exception as exc:  # all left pending: retried before anything newer is read
            log.warning("events.handler_failed", group=self.group, events=len(readable), error=repr(exc))
            self.backlog = True
            self.failures += 1
            return 0
        await self.redis.xack(self.stream, self.group, *[entry_id for entry_id, _ in readable])
        return len(readable)


def stream_reader(
    settings: Any, group: str, handle_batch: BatchHandler, *, types: Collection[str] | None = None
) -> EventConsumer:
    """This process's consumer in `group` of the event stream, set up as every reader of it is: from the
    stream's start for a new group, a dead consumer's entries claimed after `webhook_consumer_min_idle_ms`;
    with `types`, the events it reads (the others are acknowledged unread)."""
    redis = Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
    idle_ms = settings.webhook_consumer_min_idle_ms
    return EventConsumer(
        redis,
        stream=settings.events_stream,
        group=group,
        consumer=f"{socket.gethostname()}-{os.getpid()}",
        handle_batch=handle_batch,
        start_id="0",
        min_idle_ms=idle_ms,
        claim_every_seconds=min(30.0, idle_ms / 1000),
        linger_seconds=settings.events_linger_seconds,
        types=types,
    )
