"""What every service's arq worker shares: Redis settings, queue, logging, heartbeat and the outbox relay."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

import structlog
from arq import cron
from arq.connections import RedisSettings
from prometheus_client import start_http_server
from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.clock import utcnow
from services.common.db import create_engine, session_factory
from services.common.events.consumer import stream_reader
from services.common.events.envelope import EventEnvelope
from services.common.events.outbox import bind_event_source, event_source, prune_published
from services.common.events.registry import EventType, register
from services.common.events.relay import relay_for, retention
from services.common.idempotency import idempotency_store
from services.common.logging import configure_logging
from services.common.metrics import WORKER_JOBS, WORKER_UP
from services.common.settings import get_settings

HEARTBEAT_SECONDS = 10
PRUNE_MINUTE = 23  # hourly, off the hour
log = structlog.get_logger()
Hook = Callable[[dict[str, Any]], Awaitable[None]]
Record = Callable[[AsyncSession, Sequence[EventEnvelope]], Awaitable[Any]]
Reader = tuple[Record, Collection[str]]  # what a reader records of a batch, and the event types it reads
"""`await record(session, events)`: what a service keeps of a batch of other services' events (idempotent)."""


def queue_name(service: str) -> str:
    return f"khabuan:{service}:queue"


def heartbeat_key(service: str) -> str:
    return f"khabuan:{service}:worker-heartbeat"


@cache
def serve_metrics(port: int) -> None:
    """This process's /metrics on a local port, started once: workers sharing a process share it (and the
    registry it serves, each worker's series labelled with its own process name)."""
    start_http_server(port, addr="127.0.0.1")


def _start_reader(
    settings: Any, sessions: Callable[[], Any], group: str, reader: Reader
) -> tuple[asyncio.Task[None], Redis]:
    record, types = reader

    async def handle(events: Sequence[EventEnvelope]) -> None:
        async with sessions() as session:
            await record(session, events)
            await session.commit()

    consumer = stream_reader(settings, group, handle, types=types)
    return asyncio.create_task(consumer.run(), name=group), consumer.redis


def worker_settings(
    service: str,
    functions: Sequence[Callable[..., Any]] = (),
    cron_jobs: Sequence[Any] = (),
    *,
    event_types: Sequence[EventType] = (),
    schema: str | None = None,
    readers: Mapping[str, Reader] = {},
    on_start: Sequence[Hook] = (),
    on_stop: Sequence[Hook] = (),
) -> type:
    """Build an arq WorkerSettings class for one service's worker (schema defaults to the service's name).

    Its jobs may record `event_types`. Besides its jobs the worker runs the service's outbox relay, prunes
    published outbox rows hourly, and runs one reader of the event stream per `readers` entry (its consumer
    group → what it records of each batch, in one transaction: at least once, in order; and the event types
    it reads, the others acknowledged unread).
    `on_start` hooks run once the engine, sessions and relay are up (they may start long-running tasks and
    keep them in the context); `on_stop` hooks run first at shutdown.
    """
    register(*event_types)
    settings = get_settings()
    source = event_source(service, schema or service)
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start Khabuan with `make run` or set REDIS_URL")

    async def heartbeat(ctx: dict[str, Any]) -> None:
        """Tell /health this worker is alive (the key expires if the worker stops)."""
        stamp = f"{datetime.now(UTC).isoformat()} pid={os.getpid()}"
        await ctx["redis"].set(heartbeat_key(service), stamp, ex=HEARTBEAT_SECONDS * 3)

    process = f"{service}-worker"

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_logging(process, level=settings.log_level, json=settings.log_json)
        if settings.metrics_port:
            serve_metrics(settings.metrics_port)
        WORKER_UP.labels(process).set(1)
        engine = create_engine(settings, application_name=f"khabuan-{process}")
        ctx["engine"] = engine
        ctx["sessions"] = session_factory(engine)
        bind_event_source(ctx["sessions"], source)
        ctx["relay"] = relay_for(settings, engine, source)
        ctx["relay"].start()
        ctx["readers"] = [
            _start_reader(settings, ctx["sessions"], group, reader) for group, reader in readers.items()
        ]
        for hook in on_start:
            await hook(ctx)
        await heartbeat(ctx)
        log.info("worker.started", queue=queue_name(service), metrics_port=settings.metrics_port)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        for hook in on_stop:
            await hook(ctx)
        for task, redis in ctx.get("readers", []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await redis.aclose()
        if "relay" in ctx:
            await ctx["relay"].stop()
        if "engine" in ctx:
            await ctx["engine"].dispose()

    async def prune_outbox(ctx: dict[str, Any]) -> None:
        """Delete outbox rows published longer ago than the retention period, and expired idempotency keys."""
        pruned = await prune_published(ctx["engine"], source, older_than=utcnow() - retention(settings))
        expired = await idempotency_store(ctx["engine"], settings, source.schema).prune()
        log.info("events.outbox_pruned", schema=source.schema, rows=pruned, idempotency_keys=expired)

    async def on_job_start(ctx: dict[str, Any]) -> None:
        WORKER_JOBS.labels(process, "started").inc()

    async def after_job_end(ctx: dict[str, Any]) -> None:
        WORKER_JOBS.labels(process, "ended").inc()

    heartbeat.__qualname__ = heartbeat.__name__ = f"{service}_heartbeat"
    prune_outbox.__qualname__ = prune_outbox.__name__ = f"{service}_prune_outbox"
    every = set(range(0, 60, HEARTBEAT_SECONDS))
    return type(
        f"{service.title()}WorkerSettings",
        (),
        {
            "redis_settings": RedisSettings.from_dsn(settings.redis_url),
            "queue_name": queue_name(service),
            "functions": list(functions),
            "cron_jobs": [
                *cron_jobs,
                cron(heartbeat, second=every, run_at_startup=False),
                cron(prune_outbox, minute=PRUNE_MINUTE, second=0, run_at_startup=False),
            ],
            "on_startup": on_startup,
            "on_shutdown": on_shutdown,
            "on_job_start": on_job_start,
            "after_job_end": after_job_end,
            "health_check_interval": HEARTBEAT_SECONDS,
            "poll_delay": settings.worker_poll_seconds,
            "handle_signals": True,
        },
    )
