"""The relay: hands committed outbox rows to the Redis stream, in position order, then marks them published.

It runs as a task inside each service's arq worker. It wakes on the outbox's NOTIFY (so an event leaves
within milliseconds of its commit) and also polls every `outbox_poll_seconds` in case a notification was
missed (a dropped LISTEN connection, a relay that was busy). One relay per schema publishes at a time (an
advisory lock), so worker replicas cannot reorder an aggregate's events.

Redis down: the batch's transaction rolls back, the rows stay unpublished, the relay logs
`events.relay_failed` and retries with back-off; writes never wait on Redis. Delivery is at least once: a
crash after Redis accepted a batch and before the rows are marked re-sends it. The append script skips ids
appended in the last `events_dedupe_seconds`, so the stream normally holds each id once, even when a
timed-out batch is later executed by a Redis that was only paused; consumers still de-duplicate by id.

The stream is capped with `MAXLEN ~ events_stream_maxlen` (default about 1,000,000 entries: weeks of
Khabuan's traffic, a few hundred MB at most). It is a transport: consumers that must keep history (the
gateway's event log, which serves the 90-day replay) store it themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import structlog
from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.common.clock import utcnow
from services.common.deactivations import FOLLOWED_EVERYWHERE, FOLLOWED_MAXLEN, followed_stream
from services.common.events.listener import NotifyListener
from services.common.events.outbox import EventSource, envelope_of
from services.common.settings import Settings

BATCH_SIZE = 100
FIRST_BACKOFF_SECONDS = 0.25
REDIS_TIMEOUT_SECONDS = 5.0
log = structlog.get_logger()

# KEYS: the stream, the followed stream, then one de-duplication key per event; ARGV: maxlen, ttl, the
# followed stream's maxlen, then per event its id, type, body and "1" to copy it to the followed stream. The
# other keys carry the stream's name in a hash tag (`{<stream>}:…`): one cluster slot for the script.
APPEND_SCRIPT = """
local appended = 0
for i = 3, #KEYS do
  local at = 4 + (i - 3) * 4
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[2]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
               'id', ARGV[at], 'type', ARGV[at + 1], 'event', ARGV[at + 2])
    if ARGV[at + 3] == '1' then
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*',
                 'id', ARGV[at], 'type', ARGV[at + 1], 'event', ARGV[at + 2])
    end
    appended = appended + 1
  end
end
return appended
"""


def dedupe_key(stream: str, event_id: str) -> str:
    return f"{{{stream}}}:sent:{event_id}"


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        redis: Redis,
        source: EventSource,
        *,
        database_url: str,
        stream: str,
        maxlen: int,
        dedupe_seconds: int,
        poll_seconds: float,
        max_backoff_seconds: float,
        linger_seconds: float = 0.0,
    ) -> None:
        self.engine = engine
        self.redis = redis
        self.source = source
        self.database_url = database_url
        self.stream = stream
        self.maxlen = maxlen
        self.dedupe_seconds = dedupe_seconds
        self.poll_seconds = poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.linger_seconds = linger_seconds
        self._append = redis.register_script(APPEND_SCRIPT)
        self._listener = NotifyListener(
            database_url, source.channel, application_name=f"khabuan-{source.service}-relay"
        )
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"outbox-relay-{self.source.schema}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._listener.close()
        await self.redis.aclose()

    async def run(self) -> None:
        """Publish until cancelled; failures back off and retry, they never end the loop."""
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            await self._listener.ensure()
            try:
                published = await self.publish_batch()
            except Exception as exc:  # Redis or the database away, or a bug: log, back off, never stop
                log.warning(
                    "events.relay_failed", schema=self.source.schema, error=repr(exc), retry_in_s=backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_seconds)
                continue
            backoff = FIRST_BACKOFF_SECONDS
            if published == BATCH_SIZE:
                continue  # more may wait
            if published and self.linger_seconds:
                # busy: let the next rows gather, so a steady stream of commits moves in batches (a batch
                # costs about the same round trips whatever its size) instead of one event per NOTIFY
                await asyncio.sleep(self.linger_seconds)
                continue
            await self._listener.wait(self.poll_seconds)

    async def publish_batch(self) -> int:
        """Hand the oldest unpublished rows to Redis, then mark them published in the same transaction."""
        outbox = self.source.outbox
        async with self.engine.begin() as connection:
            if not await self._lead(connection):
                return 0
            rows = (
                await connection.execute(
                    select(outbox)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.position)
                    .limit(BATCH_SIZE)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            appended = await self._append_to_stream(rows)
            positions = [row.position for row in rows]
            await connection.execute(
                update(outbox).where(outbox.c.position.in_(positions)).values(published_at=utcnow())
            )
        log.debug("events.relayed", schema=self.source.schema, count=len(rows), appended=appended)
        return len(rows)

    async def _lead(self, connection: AsyncConnection) -> bool:
        """Only one relay per schema publishes at a time (held until this transaction ends)."""
        key = func.hashtext(f"khabuan-outbox-relay:{self.source.schema}")
        return bool(await connection.scalar(select(func.pg_try_advisory_xact_lock(key))))

    async def _append_to_stream(self, rows: Sequence[Any]) -> int:
        keys: list[str] = [self.stream, followed_stream(self.stream)]
        args: list[str | bytes | int] = [self.maxlen, self.dedupe_seconds, FOLLOWED_MAXLEN]
        for row in rows:
            envelope = envelope_of(row)
            keys.append(dedupe_key(self.stream, str(envelope.id)))
            copied = "1" if envelope.type in FOLLOWED_EVERYWHERE else "0"
            args += [str(envelope.id), envelope.type, envelope.internal_json(), copied]
        appended = await self._append(keys=keys, args=args)
        return int(appended)


def relay_for(settings: Settings, engine: AsyncEngine, source: EventSource) -> OutboxRelay:
    """The relay of one service's worker, with its own Redis client (timeouts, so a hung Redis fails fast)."""
    redis = Redis.from_url(
        settings.redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
    return OutboxRelay(
        engine,
        redis,
        source,
        database_url=settings.database_url,
        stream=settings.events_stream,
        maxlen=settings.events_stream_maxlen,
        dedupe_seconds=settings.events_dedupe_seconds,
        poll_seconds=settings.outbox_poll_seconds,
        max_backoff_seconds=settings.events_relay_max_backoff_seconds,
        linger_seconds=settings.events_linger_seconds,
    )


def retention(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.outbox_retention_seconds)
